// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	in := flag.String("in", "", "benchmark output to read (default: standard input)")
	svg := flag.String("svg", "", "also write a bar chart of the time per operation to this SVG file")
	flag.Parse()
	var r io.Reader = os.Stdin
	if *in != "" {
		f, err := os.Open(*in)
		if err != nil {
			fmt.Fprintln(os.Stderr, "report:", err)
			os.Exit(1)
		}
		defer f.Close()
		r = f
	}
	res, err := parse(r)
	if err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
	if len(res.Order) == 0 {
		fmt.Fprintln(os.Stderr, "report: no benchmark results in the input")
		os.Exit(1)
	}
	write(os.Stdout, res)
	if *svg != "" {
		unit := "cpu-ns/op"
		if !res.HasUnit(unit) {
			unit = "ns/op"
		}
		var b bytes.Buffer
		if err := writeSVG(&b, res, unit); err != nil {
			fmt.Fprintln(os.Stderr, "report:", err)
			os.Exit(1)
		}
		if err := os.WriteFile(*svg, b.Bytes(), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "report:", err)
			os.Exit(1)
		}
	}
}
