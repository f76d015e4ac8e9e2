package console

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/internal/sheet"
	"github.com/kimbot/kimbot/peta"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// /peta: every kelurahan/desa of the person's scope as a tile coloured by
// KIM status, grouped by kecamatan, with the kecamatan's and the whole
// view's summary; ?wilayah narrows it, ?status filters the tiles,
// ?format=xlsx downloads the same summary. Wider than tileLimit villages
// (a province), the page lists its kecamatan to pick one from instead.

// tileLimit is the most tiles one page draws: a kabupaten has up to a few
// hundred desa; a province's thousands are summarised per kecamatan.
const tileLimit = 600

type petaPage struct {
	peta.Peta
	Name   string
	Status string
	Tiles  bool // false: too many villages, kecamatan summaries only
	Parent region.Code
	HasMap bool
	// AsOfText is when the aspiration figures were counted, in words.
	AsOfText string
	// MapTiles is KIMBOT_MAP_TILES (a tile URL template, "" = boundaries
	// on a blank background) and its attribution.
	MapTiles, MapAttribution string
	Statuses                 []peta.Status
}

// petaWithin is the ?wilayah the person asked for, inside their scope.
func (c *Console) petaWithin(w http.ResponseWriter, r *http.Request) (region.Code, bool) {
	a := actorOf(r)
	within := a.Scope
	if s := r.URL.Query().Get("wilayah"); s != "" {
		code, err := region.ParseCode(s)
		if err == nil {
			_, err = c.deps.RegionStore.Get(r.Context(), code) // a well-formed code of no region
		}
		if err != nil || !a.Allows(code) {
			c.render(w, r, http.StatusNotFound, "kim_missing", nil)
			return "", false
		}
		within = code
	}
	return within, true
}

func (c *Console) petaPage(w http.ResponseWriter, r *http.Request) {
	within, ok := c.petaWithin(w, r)
	if !ok {
		return
	}
	a := actorOf(r)
	p, err := c.deps.Peta.Villages(r.Context(), a, within)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if r.URL.Query().Get("format") == "xlsx" {
		c.audit(r.Context(), a, "ekspor", within, "peta")
		c.sendXLSX(w, r, fmt.Sprintf("peta-kim-%s.xlsx", within), func(buf *bytes.Buffer) error {
			return writePetaXLSX(buf, p, c.zone)
		})
		return
	}
	page := petaPage{Peta: p, Name: c.scopeLabel(r, within), Status: r.URL.Query().Get("status"),
		Tiles: p.Summary.Villages <= tileLimit, Statuses: []peta.Status{peta.Aktif, peta.Vakum, peta.None}}
	if within != a.Scope {
		page.Parent = within.Parent()
	}
	if !p.AsOf.IsZero() {
		page.AsOfText = c.when(p.AsOf)
	}
	if page.HasMap, err = c.deps.RegionStore.HasBoundaries(r.Context(), within); err != nil {
		c.fail(w, r, err)
		return
	}
	page.MapTiles, page.MapAttribution = c.cfg.MapTiles, c.cfg.MapAttribution
	if page.Status != "" {
		for i := range page.Districts {
			d := &page.Districts[i]
			kept := d.Villages[:0:0]
			for _, v := range d.Villages {
				if string(v.Status) == page.Status {
					kept = append(kept, v)
				}
			}
			d.Villages = kept
		}
	}
	c.render(w, r, http.StatusOK, "peta", page)
}

// duration words a response time for a phone: "45 mnt", "3,5 jam",
// "2,0 hari"; "—" when there was none.
func duration(d time.Duration) string {
	switch {
	case d <= 0:
		return "—"
	case d < time.Hour:
		return fmt.Sprintf("%d mnt", int(d.Minutes()+0.5))
	case d < 48*time.Hour:
		return commaDecimal(d.Hours()) + " jam"
	}
	return commaDecimal(d.Hours()/24) + " hari"
}

func commaDecimal(f float64) string {
	s := fmt.Sprintf("%.1f", f)
	return s[:len(s)-2] + "," + s[len(s)-1:]
}

// writePetaXLSX writes the summary per kecamatan and every kelurahan.
func writePetaXLSX(buf *bytes.Buffer, p peta.Peta, zone *time.Location) error {
	wb, err := sheet.New(zone)
	if err != nil {
		return err
	}
	summaryCols := []sheet.Column{{Header: "Kode", Width: 12}, {Header: "Kecamatan", Width: 24},
		{Header: "Kelurahan/desa", Width: 14, Kind: sheet.Int}, {Header: "KIM aktif", Width: 10, Kind: sheet.Int},
		{Header: "KIM vakum", Width: 10, Kind: sheet.Int}, {Header: "Tanpa KIM", Width: 10, Kind: sheet.Int},
		{Header: "Tercakup KIM aktif", Width: 18, Kind: sheet.Percent}, {Header: "Pelanggan", Width: 12, Kind: sheet.Int},
		{Header: "Pelanggan tercakup", Width: 18, Kind: sheet.Percent}, {Header: "Aspirasi terbuka", Width: 16, Kind: sheet.Int},
		{Header: "Lewat batas", Width: 12, Kind: sheet.Int}, {Header: "Median tanggapan (jam)", Width: 22, Kind: sheet.Decimal}}
	if err := wb.Sheet("Ringkasan", summaryCols); err != nil {
		return err
	}
	row := func(code region.Code, name string, s peta.Summary) error {
		return wb.Row(string(code), name, s.Villages, s.Aktif, s.Vakum, s.None, s.Covered(), s.Subscribers,
			s.SubscriberShare(), s.Open, s.Overdue, hoursOrNone(s.MedianFirstResponse))
	}
	for _, d := range p.Districts {
		if err := row(d.Code, d.Name, d.Summary); err != nil {
			return err
		}
	}
	if err := row(p.Within, catalog.T("web.peta.total"), p.Summary); err != nil {
		return err
	}
	villageCols := []sheet.Column{{Header: "Kode", Width: 16}, {Header: "Kelurahan/desa", Width: 22}, {Header: "Kecamatan", Width: 20},
		{Header: "Status", Width: 10}, {Header: "KIM", Width: 30}, {Header: "Pelanggan", Width: 12, Kind: sheet.Int},
		{Header: "Aspirasi terbuka", Width: 16, Kind: sheet.Int}, {Header: "Lewat batas", Width: 12, Kind: sheet.Int},
		{Header: "Dijawab 90 hari", Width: 16, Kind: sheet.Int}, {Header: "Median tanggapan (jam)", Width: 22, Kind: sheet.Decimal}}
	if err := wb.Sheet("Kelurahan", villageCols); err != nil {
		return err
	}
	for _, d := range p.Districts {
		for _, v := range d.Villages {
			var names string
			for i, k := range v.KIM {
				if i > 0 {
					names += "; "
				}
				names += k.Name
			}
			if err := wb.Row(string(v.Code), v.Name, d.Name, statusWord(v.Status), names, v.Subscribers, v.Service.Open,
				v.Service.Overdue, v.Service.Answered, hoursOrNone(v.Service.MedianFirstResponse)); err != nil {
				return err
			}
		}
	}
	_, err = wb.WriteTo(buf)
	return err
}

// hoursOrNone is d in hours, or nil (an empty cell, not a zero) when
// nothing was answered.
func hoursOrNone(d time.Duration) any {
	if d <= 0 {
		return nil
	}
	return d.Hours()
}

func statusWord(s peta.Status) string { return catalog.T(catalog.Key("web.peta.status_" + string(s))) }

// petaFuncs are the map page's helpers.
var petaFuncs = map[string]any{
	"duration":   duration,
	"statusWord": statusWord,
	"percent":    func(f float64) string { return fmt.Sprintf("%d%%", int(f*100+0.5)) },
	"isOperator": func(a staff.Actor) bool { return a.IsOperator() },
}

// petaGeoJSON is the map view's data: a GeoJSON FeatureCollection of the
// kelurahan in view that have a boundary, each with its status and the
// tile's words, for static/peta.js.
func (c *Console) petaGeoJSON(w http.ResponseWriter, r *http.Request) {
	within, ok := c.petaWithin(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	p, err := c.deps.Peta.Villages(ctx, actorOf(r), within)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	shapes, err := c.deps.RegionStore.Boundaries(ctx, within)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	type feature struct {
		Type       string          `json:"type"`
		Geometry   json.RawMessage `json:"geometry"`
		Properties map[string]any  `json:"properties"`
	}
	out := struct {
		Type     string    `json:"type"`
		Features []feature `json:"features"`
	}{Type: "FeatureCollection", Features: []feature{}}
	for _, d := range p.Districts {
		for _, v := range d.Villages {
			shape, ok := shapes[v.Code]
			if !ok {
				continue
			}
			kim, href := catalog.T("web.peta.no_kim"), "/peta?wilayah="+string(v.Code)
			if len(v.KIM) > 0 {
				kim, href = v.KIM[0].Name, fmt.Sprintf("/kim/%d", v.KIM[0].ID)
			}
			out.Features = append(out.Features, feature{Type: "Feature", Geometry: shape, Properties: map[string]any{
				"code": v.Code, "name": v.Name + ", " + d.Name, "status": v.Status, "kim": kim + " · " + statusWord(v.Status),
				"line":   catalog.T("web.peta.tile_line", v.Subscribers, v.Service.Open),
				"median": catalog.T("web.kim.col_median") + ": " + duration(v.Service.MedianFirstResponse),
				"href":   href, "open": catalog.T("web.peta.open_link"),
			}})
		}
	}
	w.Header().Set("Content-Type", "application/geo+json")
	if err := json.NewEncoder(w).Encode(out); err != nil {
		c.log.Warn("console: writing the map's GeoJSON", "err", err)
	}
}
