package catalog

// archiveTexts are the public archive of official announcements on the
// console's host (/arsip, /arsip/{id}), readable without signing in, and
// the console's parts about it (issue 13).
var archiveTexts = map[Key]string{
	"web.arsip.title":       "Arsip siaran resmi",
	"web.arsip.intro":       "Semua siaran resmi yang sudah dikirim lewat bot KIM, terbaru di atas. Bandingkan pesan yang Anda terima dengan yang di sini, atau teruskan pesan itu ke bot untuk dicek.",
	"web.arsip.area":        "Wilayah",
	"web.arsip.area_all":    "Semua wilayah",
	"web.arsip.area_pick":   "Pilih kecamatan atau kelurahan/desa",
	"web.arsip.show":        "Tampilkan",
	"web.arsip.none":        "Belum ada siaran di arsip untuk wilayah ini.",
	"web.arsip.from":        "Dari",
	"web.arsip.sent":        "Dikirim",
	"web.arsip.to":          "Untuk",
	"web.arsip.open":        "Baca",
	"web.arsip.back":        "‹ Semua siaran",
	"web.arsip.photo":       "Foto siaran",
	"web.arsip.document":    "Unduh dokumen (PDF)",
	"web.arsip.buttons":     "Tautan di siaran:",
	"web.arsip.official":    "Ini siaran resmi yang dikirim lewat bot KIM. Jika pesan yang Anda terima berbeda dari halaman ini, pesan itu sudah diubah.",
	"web.arsip.missing":     "Siaran ini tidak ada di arsip publik.",
	"web.arsip.missing_why": "Alamatnya mungkin salah ketik, atau siaran ini tidak dimuat di arsip. Teruskan pesannya ke bot KIM untuk dicek.",
	"web.arsip.limited":     "Terlalu banyak permintaan",
	"web.arsip.limited_why": "Anda membuka terlalu banyak halaman dalam waktu singkat. Tunggu sebentar, lalu coba lagi.",
	"web.arsip.file_gone":   "Berkas siaran ini tidak bisa diambil sekarang. Coba lagi nanti.",

	// The compose form and the schedule page.
	"web.arsip.compose_label": "Muat di arsip publik (/arsip) setelah terkirim",
	"web.arsip.compose_hint":  "Warga bisa mencocokkan pesan yang mereka terima dengan arsip. Hapus centang untuk siaran yang bukan untuk umum.",
	"web.arsip.link":          "Halaman arsip",
	"web.arsip.not_archived":  "Tidak dimuat di arsip publik",

	// The home page.
	"web.arsip.checks_title":  "Cek keaslian (7 hari terakhir)",
	"web.arsip.checks_total":  "pesan dicek warga",
	"web.arsip.checks_edited": "salinan siaran yang diubah",
}
