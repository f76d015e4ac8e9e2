package region

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"
)

// Boundaries are optional: an office that has its kelurahan's polygons
// (from BIG, its Bappeda, or OpenStreetMap, as GeoJSON in WGS84
// longitude/latitude, RFC 7946) imports them and the peta KIM draws a
// map; without them it shows tiles.

// BoundaryStats is what ImportBoundaries did: features read, stored
// (inserted or replaced), and the first few refused with why.
type BoundaryStats struct {
	Read, Stored int
	Refused      []string // "feature 12: no property kode", at most maxRefusals
	RefusedCount int
}

const maxRefusals = 20

// indonesia is a generous box around the country (lon 90..145, lat
// -15..10): coordinates outside it are projected (metres) or swapped.
var indonesia = [4]float64{90, -15, 145, 10}

// ImportBoundaries reads a GeoJSON FeatureCollection from r feature by
// feature (a province's file is hundreds of megabytes) and stores each
// Polygon or MultiPolygon under the Kemendagri code found in its
// property codeProperty (dotted, compact, or a number). Coordinates are
// rounded to 5 decimals (about a metre). A feature whose code is unknown,
// whose geometry is not a polygon, or whose coordinates lie outside
// Indonesia is refused and counted, never stored; the import goes on.
func ImportBoundaries(ctx context.Context, db *sqlx.DB, r io.Reader, codeProperty string) (BoundaryStats, error) {
	var st BoundaryStats
	if strings.TrimSpace(codeProperty) == "" {
		return st, errors.New("name the property that holds the region code")
	}
	dec := json.NewDecoder(r)
	if err := expectDelim(dec, '{'); err != nil {
		return st, err
	}
	found := false
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return st, fmt.Errorf("reading GeoJSON: %w", err)
		}
		if key != "features" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return st, fmt.Errorf("reading GeoJSON: %w", err)
			}
			continue
		}
		found = true
		if err := expectDelim(dec, '['); err != nil {
			return st, err
		}
		for dec.More() {
			var f geoFeature
			if err := dec.Decode(&f); err != nil {
				return st, fmt.Errorf("reading feature %d: %w", st.Read+1, err)
			}
			st.Read++
			if err := storeFeature(ctx, db, f, codeProperty); err != nil {
				var refused refusal
				if !errors.As(err, &refused) {
					return st, err
				}
				st.RefusedCount++
				if len(st.Refused) < maxRefusals {
					st.Refused = append(st.Refused, fmt.Sprintf("feature %d: %s", st.Read, refused))
				}
				continue
			}
			st.Stored++
		}
		if _, err := dec.Token(); err != nil {
			return st, fmt.Errorf("reading GeoJSON: %w", err)
		}
	}
	if !found {
		return st, errors.New("not a GeoJSON FeatureCollection: no features")
	}
	return st, nil
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("reading GeoJSON: %w", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("not a GeoJSON FeatureCollection (expected %q)", want)
	}
	return nil
}

type geoFeature struct {
	Properties map[string]any `json:"properties"`
	Geometry   struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	} `json:"geometry"`
}

// refusal is why one feature is not stored.
type refusal string

func (r refusal) Error() string { return string(r) }

func storeFeature(ctx context.Context, db *sqlx.DB, f geoFeature, codeProperty string) error {
	raw, ok := f.Properties[codeProperty]
	if !ok {
		return refusal("no property " + codeProperty)
	}
	var s string
	switch v := raw.(type) {
	case string:
		s = v
	case float64:
		s = strconv.FormatFloat(v, 'f', -1, 64)
	default:
		return refusal(fmt.Sprintf("property %s is not a code", codeProperty))
	}
	code, err := ParseCode(strings.TrimSpace(s))
	if err != nil {
		return refusal(fmt.Sprintf("%q is not a Kemendagri code", s))
	}
	var polygons [][][][2]float64
	switch f.Geometry.Type {
	case "Polygon":
		var p [][][2]float64
		if err := json.Unmarshal(f.Geometry.Coordinates, &p); err != nil {
			return refusal("bad Polygon coordinates")
		}
		polygons = [][][][2]float64{p}
	case "MultiPolygon":
		if err := json.Unmarshal(f.Geometry.Coordinates, &polygons); err != nil {
			return refusal("bad MultiPolygon coordinates")
		}
	default:
		return refusal(fmt.Sprintf("%s geometry, not a polygon", f.Geometry.Type))
	}
	if err := roundPolygons(polygons); err != nil {
		return err
	}
	geometry, err := json.Marshal(map[string]any{"type": "MultiPolygon", "coordinates": polygons})
	if err != nil {
		return err
	}
	res, err := db.ExecContext(ctx, `INSERT INTO region_boundaries (code, geometry)
SELECT code, $2 FROM regions WHERE code = $1
ON CONFLICT (code) DO UPDATE SET geometry = EXCLUDED.geometry`, string(code), geometry)
	if err != nil {
		return fmt.Errorf("storing the boundary of %s: %w", code, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return refusal(fmt.Sprintf("%s is not in the regions table", code))
	}
	return nil
}

// roundPolygons rounds every point to 5 decimals in place and checks
// each ring is closed enough to draw and lies in Indonesia.
func roundPolygons(polygons [][][][2]float64) error {
	for _, p := range polygons {
		if len(p) == 0 {
			return refusal("a polygon without rings")
		}
		for _, ring := range p {
			if len(ring) < 4 {
				return refusal("a ring with fewer than 4 points")
			}
			for i, pt := range ring {
				if pt[0] < indonesia[0] || pt[0] > indonesia[2] || pt[1] < indonesia[1] || pt[1] > indonesia[3] {
					return refusal("coordinates outside Indonesia: GeoJSON needs WGS84 longitude, latitude")
				}
				ring[i] = [2]float64{math.Round(pt[0]*1e5) / 1e5, math.Round(pt[1]*1e5) / 1e5}
			}
		}
	}
	if len(polygons) == 0 {
		return refusal("an empty geometry")
	}
	return nil
}

// Boundaries returns the stored boundary (a GeoJSON MultiPolygon) of
// every village inside within that has one.
func (s *Store) Boundaries(ctx context.Context, within Code) (map[Code]json.RawMessage, error) {
	var rows []struct {
		Code     Code   `db:"code"`
		Geometry []byte `db:"geometry"`
	}
	err := s.db.SelectContext(ctx, &rows, `SELECT b.code, b.geometry FROM region_boundaries b
WHERE b.code LIKE $1 AND length(b.code) = 13`, string(within)+"%")
	if err != nil {
		return nil, fmt.Errorf("reading boundaries: %w", err)
	}
	out := make(map[Code]json.RawMessage, len(rows))
	for _, r := range rows {
		out[r.Code] = r.Geometry
	}
	return out, nil
}

// HasBoundaries reports whether any village inside within has one.
func (s *Store) HasBoundaries(ctx context.Context, within Code) (bool, error) {
	var ok bool
	err := s.db.GetContext(ctx, &ok, `SELECT EXISTS (SELECT 1 FROM region_boundaries WHERE code LIKE $1 AND length(code) = 13)`,
		string(within)+"%")
	if err != nil {
		return false, fmt.Errorf("looking for boundaries: %w", err)
	}
	return ok, nil
}
