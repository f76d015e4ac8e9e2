package region

import "slices"

// Area is a named set of regions that a report counts together: a
// kecamatan, a kelurahan/desa, or the villages a KIM serves. Key
// identifies it in a report (a code, or a KIM's id).
type Area struct {
	Key   string
	Name  string
	Codes []Code
}

// AreaParams spreads areas over two parallel SQL arrays, one element per
// code: the area's index and the code. A query unnests them
// (`unnest($1::int[], $2::text[]) AS g(idx, code)`) and joins on
// equality with the Ancestors of a row's code, which PostgreSQL can hash
// (a LIKE per area cannot: a province's thousands of villages would each
// be tried against every row). Codes inside another code of the same
// area are dropped, so that a row is matched to an area at most once.
func AreaParams(areas []Area) (idx []int64, codes []string) {
	for i, a := range areas {
		for _, c := range outermost(a.Codes) {
			idx = append(idx, int64(i))
			codes = append(codes, string(c))
		}
	}
	return idx, codes
}

// Ancestors is SQL for the distinct codes holding the code in column
// col, itself included, down to the whole country (the empty code): Kemendagri
// codes have fixed widths (2, 5, 8 and 13 characters).
func Ancestors(col string) string {
	return `(SELECT DISTINCT a FROM (VALUES (` + col + `), (left(` + col + `, 8)), (left(` + col + `, 5)), (left(` + col + `, 2)), ('')) AS v(a))`
}

// outermost is codes without those inside another of them.
func outermost(codes []Code) []Code {
	var out []Code
	for i, c := range codes {
		inside := slices.ContainsFunc(codes, func(o Code) bool { return o != c && o.Contains(c) }) ||
			slices.Contains(codes[:i], c)
		if !inside {
			out = append(out, c)
		}
	}
	return out
}
