package console_test

import (
	"net/http"

	"github.com/kimbot/kimbot/aspirations"
)

// aspirasiRoutes are /aspirasi's rows of TestAccess_EveryRouteEveryPerson,
// with the tickets they need: moderators see and act on their village
// only, operators on their regency; another area's ticket is 404. The
// personas act in the walk's order (moderator of Tlogomas, of Merjosari,
// operator of Kota Malang, of Kab. Malang), so a ticket the first claims
// is held when the third tries (409).
func (r *rig) aspirasiRoutes(signIn int) []route {
	r.t.Helper()
	photo := r.telegramPhoto(jpegBytes)
	tlogomas := r.fileTicket(5101, "35.73.05.1003", "Jalan berlubang di RT 03", &aspirations.Attachment{Kind: aspirations.AttachPhoto, FileID: photo})
	toEscalate := r.fileTicket(5102, "35.73.05.1003", "Perlu bantuan dinas PU", nil)
	toRefuse := r.fileTicket(5103, "35.73.05.1003", "Lampu jalan padam", nil)
	kab := r.fileTicket(5104, "35.07.01.2001", "Banjir di desa", nil)
	staffOK := map[string]int{nobody: signIn, resident: signIn}
	// Tlogomas: its moderator and the city's operator; Kab. Malang: its operator.
	tlo := map[string]int{nobody: signIn, resident: signIn, moderatorA: http.StatusOK, operatorCit: http.StatusOK}
	kabOnly := map[string]int{nobody: signIn, resident: signIn, operatorOth: http.StatusOK}
	const missing, acted, held, fix = http.StatusNotFound, http.StatusSeeOther, http.StatusConflict, http.StatusUnprocessableEntity
	return []route{
		{"GET", "/aspirasi", staffOK, http.StatusOK},
		{"GET", "/aspirasi?status=dijawab&kategori=kesehatan&wilayah=35.73.05", staffOK, http.StatusOK},
		{"GET", "/aspirasi/rekap", staffOK, http.StatusOK},
		{"GET", "/aspirasi/rekap?bulan=2026-11&format=xlsx", staffOK, http.StatusOK},
		{"GET", ticketPath(tlogomas), tlo, missing},
		{"GET", ticketPath(tlogomas, "berkas", "0"), tlo, missing},
		{"GET", ticketPath(tlogomas, "berkas", "1"), with(tlo, moderatorA, missing, operatorCit, missing), missing},
		{"GET", ticketPath(kab), kabOnly, missing},
		{"GET", "/aspirasi/abc", staffOK, missing},
		{"GET", "/aspirasi/999999", staffOK, missing},
		{"POST", ticketPath(tlogomas, "ambil"), with(tlo, moderatorA, acted, operatorCit, held), missing},
		{"POST", ticketPath(toEscalate, "teruskan"), with(tlo, moderatorA, acted, operatorCit, held), missing},
		{"POST", ticketPath(toRefuse, "tolak"), with(tlo, moderatorA, fix, operatorCit, fix), missing},
		{"POST", ticketPath(toRefuse, "jawab"), with(tlo, moderatorA, fix, operatorCit, fix), missing},
		{"POST", ticketPath(kab, "ambil"), with(kabOnly, operatorOth, acted), missing},
		{"POST", ticketPath(kab, "hapus"), nil, missing},
	}
}
