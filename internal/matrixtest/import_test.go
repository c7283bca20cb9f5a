package matrixtest_test

// The bulk import's part of the matrix: the dry run of a small services
// file (it changes nothing, so every state sees the same world).
func init() {
	pageForms["POST /admin/import"] = map[string]string{"kind": "services", "step": "dry",
		"document": "ekstern_id;navn;type;krets;leder\nM1;Matriseskolen;skole;;\n"}
}
