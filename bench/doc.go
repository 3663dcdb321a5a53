// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Package bench compares newt with goolm
// (maunium.net/go/mautrix/crypto/goolm), with libolm through cgo (build tag
// libolm) and with the primitive floor, on the workloads listed in its
// README.md, in one `go test -bench` run.
//
// The package holds the adapters that put every implementation behind the
// same small interfaces, so each benchmark body is the same code for all of
// them, and the floor: the standard-library primitives a workload cannot
// avoid, called directly. The benchmarks, the interoperability tests that
// prove the adapters right, and the scale checks are in the test files;
// cmd/report turns the benchmark output into the README's table.
//
// It is a separate module so that mautrix and cgo never reach newt's go.mod.
package bench
