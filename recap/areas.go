package recap

import (
	"context"
	"fmt"

	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// Regions reads the region tree (region.Store implements it).
type Regions interface {
	Villages(ctx context.Context, within region.Code) ([]region.Region, error)
	Get(ctx context.Context, code region.Code) (region.Region, error)
}

// ByVillage is a grouping with one area per kelurahan/desa of scope, in
// code order.
func ByVillage(ctx context.Context, rs Regions, scope region.Code) ([]region.Area, error) {
	vs, err := rs.Villages(ctx, scope)
	if err != nil {
		return nil, err
	}
	out := make([]region.Area, len(vs))
	for i, v := range vs {
		out[i] = region.Area{Key: string(v.Code), Name: v.Name, Codes: []region.Code{v.Code}}
	}
	return out, nil
}

// ByDistrict is a grouping with one area per kecamatan that has villages
// in scope, in code order. A scope inside one kecamatan (a moderator's
// kelurahan) gives that kecamatan's row for the scope only.
func ByDistrict(ctx context.Context, rs Regions, scope region.Code) ([]region.Area, error) {
	vs, err := rs.Villages(ctx, scope)
	if err != nil {
		return nil, err
	}
	var out []region.Area
	for _, v := range vs {
		d := v.Code.Parent()
		if len(out) > 0 && out[len(out)-1].Key == string(d) {
			continue
		}
		dr, err := rs.Get(ctx, d)
		if err != nil {
			return nil, fmt.Errorf("kecamatan %s: %w", d, err)
		}
		codes := []region.Code{d}
		if !scope.Contains(d) {
			codes = []region.Code{scope}
		}
		out = append(out, region.Area{Key: string(d), Name: dr.Name, Codes: codes})
	}
	return out, nil
}

// ByKIM is a grouping with one area per KIM actor may see: the
// kelurahan (or kecamatan) it serves, named after it.
func ByKIM(ctx context.Context, dir *staff.Directory, actor staff.Actor) ([]region.Area, error) {
	ks, err := dir.ListKIM(ctx, actor, "")
	if err != nil {
		return nil, err
	}
	out := make([]region.Area, len(ks))
	for i, k := range ks {
		out[i] = region.Area{Key: fmt.Sprintf("kim-%d", k.ID), Name: k.Name, Codes: []region.Code{k.Area}}
	}
	return out, nil
}
