module github.com/newt-e2ee/newt/bench

go 1.26.0

require (
	filippo.io/edwards25519 v1.2.0
	github.com/newt-e2ee/newt v0.0.0
	maunium.net/go/mautrix v0.32.0
)

require (
	go.mau.fi/util v0.11.0 // indirect
	golang.org/x/crypto v0.58.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
)

replace github.com/newt-e2ee/newt => ../
