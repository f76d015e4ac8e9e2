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

// AreaParams spreads areas over three parallel SQL arrays, one element
// per code: the area's index, the code, and its LikePattern. A query
// unnests them (`unnest($1::int[], $2::text[], $3::text[]) AS g(idx,
// code, pattern)`) and matches `x = g.code OR x LIKE g.pattern`. Codes
// inside another code of the same area are dropped, so that a row is
// matched to an area at most once.
func AreaParams(areas []Area) (idx []int64, codes, patterns []string) {
	for i, a := range areas {
		for _, c := range outermost(a.Codes) {
			idx = append(idx, int64(i))
			codes = append(codes, string(c))
			patterns = append(patterns, c.LikePattern())
		}
	}
	return idx, codes, patterns
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
