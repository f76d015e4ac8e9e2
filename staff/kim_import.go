package staff

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/kimbot/kimbot/internal/audit"
	"github.com/kimbot/kimbot/internal/sheet"
	"github.com/kimbot/kimbot/region"
)

// importColumns are the headers offices use for each KIM field, folded
// by region.SearchKey ("Kelurahan/Desa" → "kelurahandesa").
var importColumns = map[string][]string{
	"name":      {"nama", "namakim", "kim", "name"},
	"village":   {"kelurahan", "desa", "kelurahandesa", "keldesa", "desakelurahan", "village"},
	"district":  {"kecamatan", "kec", "district"},
	"code":      {"kode", "kodewilayah", "kodekemendagri", "kodedesa", "kodekelurahan", "code"},
	"sk_number": {"sk", "nosk", "nomorsk", "nomersk", "sknumber"},
	"sk_date":   {"tanggalsk", "tglsk", "skdate"},
	"sk_issuer": {"penerbitsk", "dikeluarkanoleh", "pejabatsk", "skissuer"},
	"contact":   {"kontak", "contact", "telepon", "hp", "nohp", "email", "narahubung"},
	"formed_on": {"tanggaldibentuk", "dibentuk", "tanggalberdiri", "berdiri", "formedon"},
}

// ErrImportFile: the file is not a KIM list ImportKIM can read (not
// .xlsx or CSV, empty, too big, or without the columns it needs).
var ErrImportFile = errors.New("cannot read the KIM list")

// ImportAction is what an import does with one row.
type ImportAction string

// The import actions.
const (
	ImportCreate    ImportAction = "tambah"
	ImportUpdate    ImportAction = "ubah"
	ImportSame      ImportAction = "sama"
	ImportUnmatched ImportAction = "tidak_cocok"
)

// ImportRow is the plan for one row of the file: Line is its line in the
// file (1-based); an unmatched row says why in Reason (English, for the
// CLI) and ReasonKind ("columns", "invalid", "unknown", "ambiguous",
// "out_of_scope", "duplicate"), with the candidate regions of an
// ambiguous name in Candidates.
type ImportRow struct {
	Line       int
	Action     ImportAction
	Fields     KIMFields
	KIMID      int64    // the KIM an update changes
	Changes    []string // the fields an update changes
	Place      string   // the matched area, "Tlogomas, Lowokwaru"
	ReasonKind string
	Reason     string
	Candidates []region.Match
}

// ImportPlan is every row of an import, in file order.
type ImportPlan struct {
	Rows []ImportRow
}

// Count returns how many rows have action a.
func (p ImportPlan) Count(a ImportAction) int {
	n := 0
	for _, r := range p.Rows {
		if r.Action == a {
			n++
		}
	}
	return n
}

// ImportKIM plans (apply false: the dry run) or carries out an import of
// an office's KIM list, read from an .xlsx or CSV file's bytes. The
// first row is the header: a name column and either a kode wilayah or a
// kelurahan/desa (with an optional kecamatan to tell villages of the same
// name apart; a kecamatan alone is a KIM kecamatan); SK number, date and
// issuer, contact and formation date are optional. A row matching a KIM
// of the same name in the same area updates its non-empty fields; other
// rows add a KIM. Only rows inside by's scope are written; every other
// row is in the plan as unmatched, with its reason. Applying writes every
// matched row in one transaction, audited as kim_impor.
func (d *Directory) ImportKIM(ctx context.Context, by Actor, data []byte, apply bool) (ImportPlan, error) {
	var plan ImportPlan
	if !by.IsOperator() {
		return plan, ErrForbidden
	}
	rows, lines, err := sheet.ReadRows(data)
	if err != nil {
		return plan, fmt.Errorf("%w: %w", ErrImportFile, err)
	}
	if len(rows) == 0 {
		return plan, fmt.Errorf("%w: the file is empty", ErrImportFile)
	}
	cols, err := importHeader(rows[0])
	if err != nil {
		return plan, fmt.Errorf("%w: %w", ErrImportFile, err)
	}
	now := d.now()
	regions := region.NewStore(d.db)
	seen := map[string]int{}
	for i, cells := range rows[1:] {
		row := d.planRow(ctx, regions, by, cols, cells, now)
		row.Line = lines[i+1]
		if row.Action != ImportUnmatched {
			key := string(row.Fields.Area) + "\x00" + strings.ToLower(row.Fields.Name)
			if first, dup := seen[key]; dup {
				row = ImportRow{Line: row.Line, Action: ImportUnmatched, Fields: row.Fields, ReasonKind: "duplicate",
					Reason: fmt.Sprintf("the same KIM as line %d", first)}
			} else {
				seen[key] = row.Line
			}
		}
		plan.Rows = append(plan.Rows, row)
	}
	if !apply {
		return plan, nil
	}
	return plan, d.audited(ctx, func(tx *sqlx.Tx) (audit.Entry, error) {
		for _, r := range plan.Rows {
			if err := writeImported(ctx, tx, by, r, now); err != nil {
				return audit.Entry{}, fmt.Errorf("line %d: %w", r.Line, err)
			}
		}
		return by.Audit(now, "kim_impor", by.Scope, fmt.Sprintf("%d tambah, %d ubah, %d tidak cocok",
			plan.Count(ImportCreate), plan.Count(ImportUpdate), plan.Count(ImportUnmatched))), nil
	})
}

func writeImported(ctx context.Context, tx *sqlx.Tx, by Actor, r ImportRow, now time.Time) error {
	f := r.Fields
	switch r.Action {
	case ImportCreate:
		_, err := tx.ExecContext(ctx, `INSERT INTO kim (name, area, sk_number, sk_date, sk_issuer, contact, formed_on,
created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
			f.Name, string(f.Area), f.SKNumber, f.SKDate, f.SKIssuer, f.Contact, f.FormedOn, by.CreatedBy(), now)
		return kimWriteErr(err)
	case ImportUpdate:
		_, err := tx.ExecContext(ctx, `UPDATE kim SET sk_number = $2, sk_date = $3, sk_issuer = $4, contact = $5,
formed_on = $6, updated_at = $7 WHERE id = $1`, r.KIMID, f.SKNumber, f.SKDate, f.SKIssuer, f.Contact, f.FormedOn, now)
		return kimWriteErr(err)
	}
	return nil
}

// importHeader maps each known field to its column in header.
func importHeader(header []string) (map[string]int, error) {
	cols := map[string]int{}
	for i, h := range header {
		key := region.SearchKey(h)
		for field, names := range importColumns {
			for _, n := range names {
				if key == n {
					if _, dup := cols[field]; !dup {
						cols[field] = i
					}
				}
			}
		}
	}
	_, village := cols["village"]
	_, district := cols["district"]
	_, code := cols["code"]
	if _, name := cols["name"]; !name || !(village || district || code) {
		return nil, fmt.Errorf("the first row must name the columns: nama, and kode wilayah or kelurahan/desa " +
			"(optional: kecamatan, sk, tanggal sk, penerbit sk, kontak, tanggal dibentuk)")
	}
	return cols, nil
}

func cell(cells []string, cols map[string]int, field string) string {
	if i, ok := cols[field]; ok && i < len(cells) {
		return cells[i]
	}
	return ""
}

// planRow matches one row's area and compares it with the registry.
func (d *Directory) planRow(ctx context.Context, regions *region.Store, by Actor, cols map[string]int, cells []string,
	now time.Time) ImportRow {
	unmatched := func(kind, reason string) ImportRow {
		return ImportRow{Action: ImportUnmatched, Fields: KIMFields{Name: cell(cells, cols, "name")}, ReasonKind: kind, Reason: reason}
	}
	f := KIMFields{Name: cell(cells, cols, "name"), SKNumber: cell(cells, cols, "sk_number"),
		SKIssuer: cell(cells, cols, "sk_issuer"), Contact: cell(cells, cols, "contact")}
	for field, dst := range map[string]**time.Time{"sk_date": &f.SKDate, "formed_on": &f.FormedOn} {
		if s := cell(cells, cols, field); s != "" {
			t, err := sheet.ParseDate(s)
			if err != nil {
				return unmatched("invalid", field+": "+err.Error())
			}
			*dst = &t
		}
	}
	area, place, row := d.matchArea(ctx, regions, by, cols, cells)
	if row != nil {
		row.Fields.Name = f.Name
		return *row
	}
	f.Area = area
	if err := f.clean(now.Add(24 * time.Hour)); err != nil {
		return unmatched("invalid", err.Error())
	}
	var existing []KIM
	err := d.db.SelectContext(ctx, &existing, `SELECT `+kimColumns+` FROM kim WHERE area = $1 AND lower(name) = lower($2)`,
		string(f.Area), f.Name)
	if err != nil {
		return unmatched("invalid", "reading the registry failed; try again")
	}
	if len(existing) == 0 {
		return ImportRow{Action: ImportCreate, Fields: f, Place: place}
	}
	k := existing[0]
	merged, changes := mergeImported(k.Fields(), f)
	action := ImportUpdate
	if len(changes) == 0 {
		action = ImportSame
	}
	return ImportRow{Action: action, Fields: merged, KIMID: k.ID, Changes: changes, Place: place}
}

// mergeImported keeps what the file leaves empty and names what changes.
func mergeImported(old, in KIMFields) (KIMFields, []string) {
	out, changes := old, []string(nil)
	texts := []struct {
		field    string
		dst, src *string
	}{{"sk_number", &out.SKNumber, &in.SKNumber}, {"sk_issuer", &out.SKIssuer, &in.SKIssuer}, {"contact", &out.Contact, &in.Contact}}
	for _, t := range texts {
		if *t.src != "" && *t.src != *t.dst {
			*t.dst, changes = *t.src, append(changes, t.field)
		}
	}
	dates := []struct {
		field    string
		dst, src **time.Time
	}{{"sk_date", &out.SKDate, &in.SKDate}, {"formed_on", &out.FormedOn, &in.FormedOn}}
	for _, t := range dates {
		if *t.src != nil && (*t.dst == nil || !(*t.dst).Equal(**t.src)) {
			*t.dst, changes = *t.src, append(changes, t.field)
		}
	}
	return out, changes
}

// matchArea finds a row's area by its code, or by the village's name
// (with its kecamatan), or by a kecamatan's name alone. A row it cannot
// place comes back as unmatched.
func (d *Directory) matchArea(ctx context.Context, regions *region.Store, by Actor, cols map[string]int,
	cells []string) (region.Code, string, *ImportRow) {
	unmatched := func(kind, reason string, cands []region.Match) (region.Code, string, *ImportRow) {
		return "", "", &ImportRow{Action: ImportUnmatched, ReasonKind: kind, Reason: reason, Candidates: cands}
	}
	if s := cell(cells, cols, "code"); s != "" {
		code, err := region.ParseCode(s)
		if err != nil {
			return unmatched("invalid", err.Error(), nil)
		}
		reg, err := regions.Get(ctx, code)
		if err != nil {
			return unmatched("unknown", fmt.Sprintf("no region has code %s", code), nil)
		}
		if !by.Allows(code) {
			return unmatched("out_of_scope", fmt.Sprintf("%s (%s) is outside your scope %s", code, reg.Name, by.Scope), nil)
		}
		return code, reg.Name, nil
	}
	level, name, parent := region.Village, cell(cells, cols, "village"), cell(cells, cols, "district")
	if name == "" {
		level, name, parent = region.District, parent, ""
	}
	if region.SearchKey(name) == "" {
		return unmatched("invalid", "no kelurahan/desa, kecamatan or kode wilayah", nil)
	}
	found, err := regions.Named(ctx, level, name, parent, by.Scope)
	if err != nil {
		return unmatched("invalid", "reading regions failed; try again", nil)
	}
	switch len(found) {
	case 1:
		return found[0].Code, found[0].Name + ", " + found[0].District, nil
	case 0:
		if outside, _ := regions.Named(ctx, level, name, parent, ""); len(outside) > 0 {
			return unmatched("out_of_scope", fmt.Sprintf("%q lies outside your scope %s", name, by.Scope), outside)
		}
		return unmatched("unknown", fmt.Sprintf("no %s named %q in your scope", levelWord(level), name), nil)
	}
	return unmatched("ambiguous", fmt.Sprintf("%d regions are named %q: add a kecamatan or kode wilayah column", len(found), name), found)
}

func levelWord(l region.Level) string {
	if l == region.District {
		return "kecamatan"
	}
	return "kelurahan/desa"
}
