module github.com/newt-e2ee/newt

go 1.24.0

require (
	filippo.io/edwards25519 v1.2.0
	golang.org/x/crypto v0.45.0
	golang.org/x/sys v0.41.0
)
