// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Package redact is the one place that decides how newt's secret-bearing
// types print. Every such type implements fmt.Formatter with [Format] and a
// String method that describes it by public values only (an ID, an index, a
// public key), so that no verb, flag or width of package fmt ever reaches
// its fields.
package redact
