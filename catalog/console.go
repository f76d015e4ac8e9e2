package catalog

// consoleTexts are the web console's texts (package console).
var consoleTexts = map[Key]string{
	"web.title":                "Konsol Diskominfo",
	"web.signout":              "Keluar",
	"web.signin_title":         "Masuk ke konsol",
	"web.signin_help":          "Konsol ini untuk petugas Diskominfo dan moderator KIM. Untuk masuk, kirim /masuk ke bot kimbot di chat pribadi, lalu buka tautan yang dikirim bot (berlaku 10 menit, sekali pakai).",
	"web.signin_for":           "Tautan masuk untuk",
	"web.signin_confirm":       "Tekan tombol di bawah untuk masuk. Jika Anda tidak meminta tautan ini, tutup saja halaman ini.",
	"web.signin_button":        "Masuk ke konsol",
	"web.link_invalid_title":   "Tautan tidak berlaku",
	"web.link_invalid":         "Tautan masuk ini sudah dipakai atau kedaluwarsa (berlaku 10 menit). Kirim /masuk lagi ke bot untuk tautan baru.",
	"web.not_staff_title":      "Khusus petugas",
	"web.not_staff":            "Konsol ini hanya untuk petugas Diskominfo dan moderator KIM. Warga bisa memakai semua layanan langsung di chat bot.",
	"web.signed_out_title":     "Anda sudah keluar",
	"web.unavailable_title":    "Layanan sedang terganggu",
	"web.err_unavailable":      "Layanan sedang terganggu. Coba lagi beberapa saat lagi.",
	"web.err_internal":         "Terjadi kesalahan. Coba lagi.",
	"web.operators_only_title": "Khusus operator",
	"web.operators_only":       "Halaman ini untuk operator Diskominfo. Moderator KIM bisa bekerja dari Beranda dan dari chat bot.",
	"web.home_title":           "Beranda",
	"web.home_scope":           "Wilayah kerja Anda:",
	"web.scope_all":            "Seluruh Indonesia",
	"web.role_operator":        "Operator Diskominfo",
	"web.role_moderator":       "Moderator KIM",
	"web.role_admin":           "Admin",
}
