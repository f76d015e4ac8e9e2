package broadcast

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// maxTargets bounds one schedule's list of prefixes.
const maxTargets = 50

// NormalizeTargets sorts targets and drops duplicates and any target that
// lies inside another one ("35.73" already holds "35.73.05").
func NormalizeTargets(targets []region.Code) []region.Code {
	sorted := append([]region.Code(nil), targets...)
	sort.Slice(sorted, func(i, j int) bool {
		if len(sorted[i]) != len(sorted[j]) {
			return len(sorted[i]) < len(sorted[j])
		}
		return sorted[i] < sorted[j]
	})
	var kept []region.Code
	for _, t := range sorted {
		if !containedByAny(kept, t) {
			kept = append(kept, t)
		}
	}
	sort.Slice(kept, func(i, j int) bool { return kept[i] < kept[j] })
	return kept
}

func containedByAny(prefixes []region.Code, c region.Code) bool {
	for _, p := range prefixes {
		if p.Contains(c) {
			return true
		}
	}
	return false
}

// ParseTargets reads "35.73.05, 35.73.01" (dotted or compact codes).
func ParseTargets(s string) ([]region.Code, error) {
	if strings.TrimSpace(s) == "" {
		return nil, inputErr("region", ReasonBadTargets, "35.73.05,35.73.01", "name at least one region code")
	}
	codes, err := region.ParseCodes(s)
	if err != nil {
		return nil, inputErr("region", ReasonBadTargets, "35.73.05,35.73.01", "%v", err)
	}
	return codes, nil
}

// checkTargets normalises targets and checks each lies inside by's scope
// and exists in the regions table.
func checkTargets(ctx context.Context, q sqlx.QueryerContext, by staff.Actor, targets []region.Code) ([]region.Code, error) {
	targets = NormalizeTargets(targets)
	if len(targets) == 0 || len(targets) > maxTargets {
		return nil, inputErr("region", ReasonBadTargets, "35.73.05,35.73.01", "name 1 to %d regions", maxTargets)
	}
	for _, t := range targets {
		if t == "" || !by.Allows(t) {
			return nil, &InputError{Field: "region", Reason: ReasonOutOfScope, Err: ErrOutOfScope,
				Detail: fmt.Sprintf("%s lies outside your scope %s", t, by.Scope), Example: string(by.Scope)}
		}
	}
	var found []string
	if err := sqlx.SelectContext(ctx, q, &found, `SELECT code FROM regions WHERE code = ANY($1)`, pq.Array(codeStrings(targets))); err != nil {
		return nil, fmt.Errorf("checking targets: %w", err)
	}
	if len(found) != len(targets) {
		return nil, &InputError{Field: "region", Reason: ReasonUnknownRegion, Err: ErrUnknownRegion,
			Detail: fmt.Sprintf("unknown region %s", missing(targets, found)), Example: "35.73.05 (Kecamatan Lowokwaru)"}
	}
	return targets, nil
}

func missing(want []region.Code, found []string) region.Code {
	have := map[string]bool{}
	for _, f := range found {
		have[f] = true
	}
	for _, w := range want {
		if !have[string(w)] {
			return w
		}
	}
	return ""
}

func codeStrings(codes []region.Code) []string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = string(c)
	}
	return out
}

const sqlCountAudience = `
SELECT count(*) FROM subscribers s
WHERE s.status = 'active' AND EXISTS (
  SELECT 1 FROM unnest($1::text[]) AS t(code) WHERE s.village_code = t.code OR s.village_code LIKE t.code || '.%')`

// CountAudience counts the active subscribers a schedule to targets would
// reach right now, for the operator's preview.
func (s *Schedules) CountAudience(ctx context.Context, targets []region.Code) (int, error) {
	var n int
	if err := s.db.GetContext(ctx, &n, sqlCountAudience, pq.Array(codeStrings(NormalizeTargets(targets)))); err != nil {
		return 0, fmt.Errorf("counting audience: %w", err)
	}
	return n, nil
}
