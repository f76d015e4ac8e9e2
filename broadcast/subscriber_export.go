package broadcast

import (
	"context"
	"io"
	"time"

	"github.com/kimbot/kimbot/internal/sheet"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// villageColumns are the columns of the subscribers-per-village sheet.
var villageColumns = []sheet.Column{
	{Header: "kode", Width: 15, Kind: sheet.Text},
	{Header: "kelurahan/desa", Width: 28, Kind: sheet.Text},
	{Header: "kecamatan", Width: 24, Kind: sheet.Text},
	{Header: "aktif", Width: 10, Kind: sheet.Int},
	{Header: "berhenti", Width: 10, Kind: sheet.Int},
	{Header: "memblokir", Width: 11, Kind: sheet.Int},
	{Header: "total", Width: 10, Kind: sheet.Int},
}

// WriteVillagesXLSX writes SubscribersByVillage as an .xlsx workbook:
// one row per kelurahan/desa, with the counts as numbers.
func (s *Subscribers) WriteVillagesXLSX(ctx context.Context, by staff.Actor, within region.Code, loc *time.Location, out io.Writer) error {
	w, err := sheet.New(loc)
	if err != nil {
		return err
	}
	if err := w.Sheet("Pelanggan per desa", villageColumns); err != nil {
		return err
	}
	err = s.SubscribersByVillage(ctx, by, within, func(v VillageCounts) error {
		return w.Row(string(v.Code), v.Village, v.District, v.Active, v.Stopped, v.Blocked, v.Active+v.Stopped+v.Blocked)
	})
	if err != nil {
		return err
	}
	_, err = w.WriteTo(out)
	return err
}
