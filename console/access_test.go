package console_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/kimbot/kimbot/proposals"
	"github.com/kimbot/kimbot/staff"
)

// The people every console route is walked for (issue 11: no session, a
// resident, moderators of two villages, an operator of the city and one
// of another regency).
const (
	nobody      = "no session"
	resident    = "resident"
	moderatorA  = "moderator of Tlogomas"
	moderatorB  = "moderator of Merjosari"
	operatorCit = "operator of Kota Malang"
	operatorOth = "operator of Kab. Malang"
)

var personas = []string{nobody, resident, moderatorA, moderatorB, operatorCit, operatorOth}

// signedIn returns a browser signed in as each persona; nobody's and the
// resident's have no session (a resident's link is refused at sign-in).
func (r *rig) signedIn() map[string]*http.Client {
	r.t.Helper()
	people := map[string]struct {
		id    int64
		role  staff.Role
		scope string
	}{
		moderatorA:  {6001, staff.RoleModerator, "35.73.05.1003"},
		moderatorB:  {6002, staff.RoleModerator, "35.73.05.1002"},
		operatorOth: {7002, staff.RoleOperator, "35.07"},
	}
	for _, p := range people {
		if _, err := r.dir.Add(context.Background(), staff.Admin(), p.id, p.role, regionCode(p.scope), nil); err != nil {
			r.t.Fatal(err)
		}
	}
	out := map[string]*http.Client{nobody: r.browser()}
	res := r.browser()
	if code, _, _ := do(r.t, res, "POST", r.link(residentID, "Budi")); code != http.StatusForbidden {
		r.t.Fatalf("a resident's sign-in: %d", code)
	}
	out[resident] = res
	ids := map[string]int64{moderatorA: 6001, moderatorB: 6002, operatorCit: operatorID, operatorOth: 7002}
	for who, id := range ids {
		b := r.browser()
		if code, _, _ := do(r.t, b, "POST", r.link(id, who)); code != http.StatusSeeOther {
			r.t.Fatalf("%s signing in: %d", who, code)
		}
		out[who] = b
	}
	return out
}

// route is one console path and what each persona gets there.
type route struct {
	method, path string
	want         map[string]int // persona → status; personas not named get wantOthers
	wantOthers   int
}

// TestAccess_EveryRouteEveryPerson walks every console route for every
// persona. A new page must add its routes here, with the objects it needs
// made in the setup above the table.
func TestAccess_EveryRouteEveryPerson(t *testing.T) {
	r := newRig(t)
	browsers := r.signedIn()
	signIn := http.StatusSeeOther // pages for the signed-in send others to /masuk
	// A schedule of the city and one of the other regency, each with a run.
	r.subscribe("35.73.05", 1, 3)
	r.subscribe("35.07.01", 100, 3)
	city, kab := r.schedule("Kota", "35.73"), r.schedule("Kabupaten", "35.07")
	r.fire()
	cityS, kabS := fmt.Sprintf("/siaran/%d", city.ID), fmt.Sprintf("/siaran/%d", kab.ID)
	var cityRun, kabRun int64
	if err := r.db.Get(&cityRun, `SELECT id FROM runs WHERE schedule_id = $1`, city.ID); err != nil {
		t.Fatal(err)
	}
	if err := r.db.Get(&kabRun, `SELECT id FROM runs WHERE schedule_id = $1`, kab.ID); err != nil {
		t.Fatal(err)
	}
	cityR, kabR := fmt.Sprintf("%s/runs/%d", cityS, cityRun), fmt.Sprintf("%s/runs/%d", kabS, kabRun)
	// Operator pages: moderators 403; a schedule outside the scope 404.
	opOnly := map[string]int{nobody: signIn, resident: signIn, moderatorA: http.StatusForbidden, moderatorB: http.StatusForbidden}
	cityOnly := with(opOnly, operatorCit, http.StatusOK, operatorOth, http.StatusNotFound)
	kabOnly := with(opOnly, operatorCit, http.StatusNotFound, operatorOth, http.StatusOK)
	acted := http.StatusSeeOther // an action goes back to the page
	cityInvite, cityModerator := r.cityStaff()
	kimA, usulA := r.kimAndProposal()
	staffOK := map[string]int{nobody: signIn, resident: signIn}
	onlyA := map[string]int{nobody: signIn, resident: signIn, moderatorA: http.StatusOK, moderatorB: http.StatusNotFound,
		operatorCit: http.StatusOK, operatorOth: http.StatusNotFound}
	cityOpOnly := with(opOnly, operatorOth, http.StatusNotFound)
	asp := r.aspirasiRoutes(signIn)
	// The public archive: the same for everyone, signed in or not.
	arsip := "/arsip/" + r.published("Pengumuman kerja bakti", true, "35.73.05").ArchiveKey
	routes := []route{
		{"GET", "/kim", staffOK, http.StatusOK},
		{"GET", "/kim?status=vakum", staffOK, http.StatusOK},
		{"GET", "/kim/baru", opOnly, http.StatusOK},
		{"POST", "/kim/baru", opOnly, http.StatusUnprocessableEntity},
		{"GET", "/kim/impor", opOnly, http.StatusOK},
		{"POST", "/kim/impor", opOnly, http.StatusUnprocessableEntity},
		{"GET", kimA, onlyA, 0},
		{"GET", "/kim/x", staffOK, http.StatusNotFound},
		{"GET", kimA + "/ubah", with(cityOpOnly, operatorCit, http.StatusOK), 0},
		{"POST", kimA + "/ubah", with(cityOpOnly, operatorCit, http.StatusUnprocessableEntity), 0},
		{"POST", kimA + "/ingatkan", with(cityOpOnly, operatorCit, http.StatusSeeOther), 0},
		{"GET", "/peta", staffOK, http.StatusOK},
		{"GET", "/peta?format=xlsx", staffOK, http.StatusOK},
		{"GET", "/peta/peta.geojson", staffOK, http.StatusOK},
		{"GET", "/peta/peta.geojson?wilayah=35.07", with(staffOK, operatorOth, http.StatusOK), http.StatusNotFound},
		{"GET", "/static/peta.js", nil, http.StatusOK},
		{"GET", "/static/vendor/leaflet/leaflet.js", nil, http.StatusOK},
		{"GET", "/peta?wilayah=35.07", with(staffOK, operatorOth, http.StatusOK), http.StatusNotFound},
		{"GET", "/peta?wilayah=35.73.05.1003", with(staffOK, moderatorB, http.StatusNotFound, operatorOth, http.StatusNotFound), http.StatusOK},
		{"GET", "/usul", staffOK, http.StatusOK},
		{"GET", "/usul/99999999999999999999", staffOK, http.StatusNotFound},
		{"GET", "/usul/abc", staffOK, http.StatusNotFound},
		{"GET", "/peta?wilayah=35.73.05.9999", staffOK, http.StatusNotFound},
		{"POST", "/usul", with(staffOK, operatorCit, http.StatusForbidden, operatorOth, http.StatusForbidden), http.StatusUnprocessableEntity},
		{"GET", usulA, onlyA, 0},
		{"POST", usulA + "/tolak", with(cityOpOnly, operatorCit, http.StatusUnprocessableEntity), 0}, // no reason
		{"POST", usulA + "/setujui", with(cityOpOnly, operatorCit, http.StatusSeeOther), 0},
		{"GET", "/siaran", opOnly, http.StatusOK},
		{"GET", cityS, cityOnly, 0},
		{"GET", kabS, kabOnly, 0},
		{"GET", "/siaran/abc", opOnly, http.StatusNotFound},
		{"GET", "/siaran/999999", opOnly, http.StatusNotFound},
		{"GET", cityR, cityOnly, 0},
		{"GET", cityR + "?rinci=desa", cityOnly, 0},
		{"GET", cityR + "/angka", cityOnly, 0},
		{"GET", cityR + "?format=xlsx", cityOnly, 0},
		{"GET", kabR, kabOnly, 0},
		{"GET", kabR + "?format=xlsx", kabOnly, 0},
		{"GET", fmt.Sprintf("%s/runs/%d", cityS, kabRun), opOnly, http.StatusNotFound},
		{"POST", cityS + "/jeda", with(cityOnly, operatorCit, acted), 0},
		{"POST", cityS + "/lanjut", with(cityOnly, operatorCit, acted), 0},
		{"POST", kabS + "/jeda", with(kabOnly, operatorOth, acted), 0},
		{"POST", kabS + "/lanjut", with(kabOnly, operatorOth, acted), 0},
		{"POST", cityS + "/batal", with(cityOnly, operatorCit, acted), 0},
		{"POST", kabS + "/batal", with(kabOnly, operatorOth, acted), 0},
		{"POST", cityS + "/hapus", nil, http.StatusNotFound},
		{"GET", "/audit", opOnly, http.StatusOK},
		{"GET", "/ekspor", map[string]int{nobody: signIn, resident: signIn}, http.StatusOK},
		{"GET", "/ekspor/aspirasi.xlsx", map[string]int{nobody: signIn, resident: signIn}, http.StatusOK},
		{"GET", "/ekspor/pelanggan.xlsx", map[string]int{nobody: signIn, resident: signIn}, http.StatusOK},
		{"GET", "/static/siaran.js", nil, http.StatusOK},
		{"GET", "/", map[string]int{nobody: signIn, resident: signIn}, http.StatusOK},
		{"GET", "/masuk", nil, http.StatusOK},
		{"GET", "/static/console.css", nil, http.StatusOK},
		{"GET", "/tidak-ada", nil, http.StatusNotFound},
		{"GET", "/siaran/baru", opOnly, http.StatusOK},
		{"GET", "/siaran/baru/penerima?target=35.73", opOnly, http.StatusOK},
		{"POST", "/siaran/baru", opOnly, http.StatusUnprocessableEntity}, // an empty form: refused field by field
		{"GET", "/static/compose.js", nil, http.StatusOK},
		{"GET", "/petugas", opOnly, http.StatusOK},
		{"POST", "/petugas/undangan", opOnly, http.StatusUnprocessableEntity},
		{"POST", "/petugas/undangan/" + cityInvite + "/cabut", with(opOnly, operatorOth, http.StatusNotFound), http.StatusSeeOther},
		{"POST", "/petugas/" + cityModerator + "/moderator/hapus", with(opOnly, operatorOth, http.StatusNotFound), http.StatusSeeOther},
		{"GET", "/arsip", nil, http.StatusOK},
		{"GET", "/arsip?wilayah=35.73.05&hal=2", nil, http.StatusOK},
		{"GET", arsip, nil, http.StatusOK},
		{"GET", arsip + "/berkas", nil, http.StatusNotFound}, // a text has no file
		{"GET", "/arsip/" + strings.Repeat("a", 26), nil, http.StatusNotFound},
		{"POST", arsip, nil, http.StatusMethodNotAllowed},
	}
	routes = append(routes, asp...)
	for _, rt := range routes {
		for _, who := range personas {
			want, ok := rt.want[who]
			if !ok {
				want = rt.wantOthers
			}
			if got, _, _ := do(t, browsers[who], rt.method, r.srv.URL+rt.path); got != want {
				t.Errorf("%s %s as %s: %d, want %d", rt.method, rt.path, who, got, want)
			}
		}
	}
	if n := r.count(`SELECT count(*) FROM schedules WHERE status = 'cancelled'`); n != 2 {
		t.Errorf("%d schedules cancelled by their own operators, want 2", n)
	}
}

// with is want with more persona → status pairs set.
func with(want map[string]int, pairs ...any) map[string]int {
	out := map[string]int{}
	for k, v := range want {
		out[k] = v
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		out[pairs[i].(string)] = pairs[i+1].(int)
	}
	return out
}

// cityStaff makes an open invitation and a moderator in Kota Malang for
// the routes that change them, and returns their ids for paths.
func (r *rig) cityStaff() (inviteID, moderatorID string) {
	r.t.Helper()
	ctx := context.Background()
	city := staff.Actor{Role: staff.RoleOperator, TelegramID: operatorID, Scope: "35.73"}
	_, inv, err := r.dir.CreateInvite(ctx, city, staff.RoleModerator, "35.73.05.1001")
	if err != nil {
		r.t.Fatal(err)
	}
	if _, err := r.dir.Add(ctx, city, 6003, staff.RoleModerator, "35.73.05.1001", nil); err != nil {
		r.t.Fatal(err)
	}
	return strconv.FormatInt(inv.ID, 10), "6003"
}

// kimAndProposal returns the paths of moderator A's KIM (made when they
// were added) and of a proposal it filed.
func (r *rig) kimAndProposal() (kim, proposal string) {
	r.t.Helper()
	m, err := r.dir.Get(context.Background(), 6001, staff.RoleModerator)
	if err != nil || m.KIMID == nil {
		r.t.Fatalf("moderator A has no KIM: %v", err)
	}
	p, err := proposals.New(r.db, r.dir, r.sched, r.clock, nil, nil).File(context.Background(), m.Actor("Sari"),
		proposals.Filing{Text: "Posyandu pindah ke balai RW 2"})
	if err != nil {
		r.t.Fatal(err)
	}
	return fmt.Sprintf("/kim/%d", *m.KIMID), fmt.Sprintf("/usul/%d", p.ID)
}
