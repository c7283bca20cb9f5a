package store

// CaseCursor exposes the cursor encoding to the case list's plan test.
var CaseCursor = encodeCursor
