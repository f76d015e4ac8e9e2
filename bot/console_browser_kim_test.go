package bot_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kimbot/kimbot/bot/internal/bottest"
	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/internal/browsertest"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// The round trip of issue 12: a KIM moderator proposes by chat, the
// operator approves in the console on a phone, and the residents of that
// kelurahan, and only they, receive it credited to the KIM. The peta KIM
// of Kota Malang then shows all 57 kelurahan with the status of the
// seeded KIM: Tlogomas aktif (it proposed, its moderator writes to the
// bot), Merjosari vakum (no moderator), the other 55 without a KIM.
func TestConsoleBrowser_ProposalRoundTripAndPeta(t *testing.T) {
	r, b := consoleRig(t, phoneW, phoneH, "")
	mod := emulator.User{ID: 6101, FirstName: "Sari", LastName: "KIM"}
	r.Moderator(mod, "35.73.05.1003", 0) // joins "KIM Tlogomas"
	_, err := r.Staff.AddKIM(r.Ctx, staff.Admin(), staff.KIMFields{Name: "KIM Merjosari", Area: "35.73.05.1002"})
	r.Must(err)
	tlogomas := residents(r, 5401, 2, "35.73.05.1003")
	merjosari := residents(r, 5411, 1, "35.73.05.1002")

	r.Emu.SendText(mod, "/usul")
	r.WaitText(mod.ID, "KIM Tlogomas")
	r.Emu.SendText(mod, "Kerja bakti bersih selokan Minggu pagi di RW 3")
	ask := r.WaitText(mod.ID, "Untuk warga mana")
	r.Emu.PressButton(mod, mod.ID, ask.MessageID, bottest.Button(t, ask, "Warga Tlogomas"))
	r.WaitText(mod.ID, "menunggu persetujuan")

	open(b, r, "/usul")
	checkLayout(b, "/usul")
	b.Screenshot("usul")
	b.Do(chromedp.Click(chromedp.CSS(`article.usul a`)), chromedp.WaitVisible(chromedp.CSS(`form[action$="/setujui"]`)))
	if bubble := browsertest.Get(b, chromedp.Text(chromedp.CSS(`.bubble`))); !strings.HasPrefix(bubble, "Dari KIM Tlogomas") {
		t.Fatalf("the operator previews %q", bubble)
	}
	checkLayout(b, "/usul/{id}")
	b.Do(chromedp.Click(chromedp.CSS(`form[action$="/setujui"] button.primary`)), chromedp.WaitVisible(chromedp.CSS(`p.flash`)))
	for _, id := range tlogomas {
		got := r.Emu.WaitFor(t, id, bottest.Wait, func(m emulator.Sent) bool { return strings.Contains(m.Text, "Kerja bakti") })
		if !strings.HasPrefix(got.Text, "<b>Dari KIM Tlogomas</b>") {
			t.Fatalf("resident %d got %q", id, got.Text)
		}
	}
	r.WaitText(mod.ID, "disetujui Diskominfo")
	for _, id := range merjosari {
		if got := r.Texts(id, "Kerja bakti"); len(got) != 0 {
			t.Fatalf("a Merjosari resident got Tlogomas's news")
		}
	}

	// The public archive credits the KIM, and reads well on a phone.
	var key string
	r.Must(r.DB.Get(&key, `SELECT a.archive_key FROM announcements a JOIN schedules s ON s.announcement_id = a.id
		WHERE s.request_key LIKE 'usul-%'`))
	r.Emu.WaitFor(t, tlogomas[0], bottest.Wait, func(m emulator.Sent) bool { return strings.Contains(m.Text, "Kerja bakti") })
	open(b, r, "/arsip")
	checkLayout(b, "/arsip")
	b.Screenshot("arsip")
	open(b, r, "/arsip/"+key)
	if page := browsertest.Get(b, chromedp.Text(chromedp.CSS(`main`))); !strings.Contains(page, "KIM Tlogomas") ||
		!strings.Contains(page, "Kerja bakti bersih selokan") {
		t.Fatalf("the archive page of the approved proposal: %q", page)
	}
	checkLayout(b, "/arsip/{id}")
	b.Screenshot("arsip-siaran")

	open(b, r, "/peta")
	counts := browsertest.Get(b, chromedp.Evaluate[map[string]int](`(() => {
		const n = s => document.querySelectorAll(s).length;
		return {all: n("li.tile"), aktif: n("li.tile.kim-aktif"), vakum: n("li.tile.kim-vakum"), none: n("li.tile.kim-none"),
			districts: n("section.district")};
	})()`))
	if fmt.Sprint(counts) != "map[aktif:1 all:57 districts:5 none:55 vakum:1]" {
		t.Fatalf("peta tiles: %v", counts)
	}
	for code, want := range map[string]string{"35.73.05.1003": "aktif", "35.73.05.1002": "vakum", "35.73.02.1001": "none"} {
		class := browsertest.Get(b, chromedp.Evaluate[string](fmt.Sprintf(`document.querySelector('li.tile[data-code="%s"]').className`, code)))
		if class != "tile kim-"+want {
			t.Errorf("tile %s: %q, want %s", code, class, want)
		}
	}
	checkLayout(b, "/peta")
	b.Screenshot("peta")
	open(b, r, "/kim")
	checkLayout(b, "/kim")
	b.Screenshot("kim")
}

// With boundaries imported (12 squares for Lowokwaru's kelurahan), /peta
// also draws the map with the vendored Leaflet under the console's CSP,
// one shape per kelurahan coloured by status, and no tile server.
func TestConsoleBrowser_PetaMapFromBoundaries(t *testing.T) {
	r, b := consoleRig(t, deskW, deskH, "")
	var codes []string
	r.Must(r.DB.Select(&codes, `SELECT code FROM regions WHERE level = 4 AND code LIKE '35.73.05.%' ORDER BY code`))
	var features []string
	for i, c := range codes {
		lon, lat := 112.58+0.012*float64(i%4), -7.95+0.012*float64(i/4)
		features = append(features, fmt.Sprintf(`{"type":"Feature","properties":{"KODE_DESA":%q},"geometry":{"type":"Polygon",`+
			`"coordinates":[[[%f,%f],[%f,%f],[%f,%f],[%f,%f],[%f,%f]]]}}`, strings.ReplaceAll(c, ".", ""),
			lon, lat, lon+0.01, lat, lon+0.01, lat+0.01, lon, lat+0.01, lon, lat))
	}
	st, err := region.ImportBoundaries(r.Ctx, r.DB, strings.NewReader(`{"type":"FeatureCollection","features":[`+
		strings.Join(features, ",")+`]}`), "KODE_DESA")
	if err != nil || st.Stored != len(codes) {
		t.Fatalf("import: %+v, %v", st, err)
	}
	open(b, r, "/peta?wilayah=35.73.05")
	b.Do(chromedp.WaitVisible(chromedp.CSS(`#peta-map[data-drawn]`)))
	drawn := browsertest.Get(b, chromedp.Evaluate[int](`document.querySelectorAll("#peta-map path.leaflet-interactive").length`))
	if drawn != len(codes) || len(codes) != 12 {
		t.Fatalf("%d shapes drawn for %d kelurahan", drawn, len(codes))
	}
	b.Screenshot("peta-batas")
}
