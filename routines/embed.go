// Package routines holds the routines Samordna ships: one YAML document per
// routine and version, read by package pathway (see pathway.Parse for the
// format). The documents follow the municipalities' own routines verbatim
// where they give text, so that a caseworker sees the wording of their own
// municipality; testdata/ holds the passages the tests compare them with.
//
// Load them with:
//
//	reg := pathway.NewRegistry()
//	err := reg.LoadFS(routines.FS)
package routines

import "embed"

// FS is the embedded routine documents, at the root of the file system.
//
//go:embed *.yaml
var FS embed.FS
