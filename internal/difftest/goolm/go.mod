module github.com/newt-e2ee/newt/internal/difftest/goolm

go 1.26.0

// goolm makes Ed25519 keys with crypto/ed25519.GenerateKey(nil); with this
// setting that call reads crypto/rand.Reader, which the differential engine
// points at the random bytes it gives both libraries.
godebug cryptocustomrand=1

require (
	github.com/newt-e2ee/newt v0.0.0
	maunium.net/go/mautrix v0.33.0
)

require (
	filippo.io/edwards25519 v1.2.0 // indirect
	go.mau.fi/util v0.11.1 // indirect
	golang.org/x/crypto v0.59.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
)

replace github.com/newt-e2ee/newt => ../../..
