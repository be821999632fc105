//go:build ignore

// checkstatic fails unless every file named on the command line is a
// statically linked ELF binary built with CGO_ENABLED=0, as the distroless
// static image needs. Run: go run .ci/checkstatic.go BINARY...
package main

import (
	"debug/buildinfo"
	"debug/elf"
	"fmt"
	"os"
)

func main() {
	failed := false
	for _, path := range os.Args[1:] {
		if err := check(path); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", path, err)
			failed = true
		} else {
			fmt.Printf("%s: static\n", path)
		}
	}
	if failed || len(os.Args) < 2 {
		os.Exit(1)
	}
}

func check(path string) error {
	f, err := elf.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			return fmt.Errorf("has a %s program header: dynamically linked", p.Type)
		}
	}
	info, err := buildinfo.ReadFile(path)
	if err != nil {
		return err
	}
	for _, s := range info.Settings {
		if s.Key == "CGO_ENABLED" && s.Value != "0" {
			return fmt.Errorf("built with CGO_ENABLED=%s", s.Value)
		}
	}
	return nil
}
