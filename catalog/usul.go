package catalog

// usulTexts are the /usul flow in chat: a KIM moderator proposes news for
// their area, operators decide with Setujui / Ubah / Tolak.
var usulTexts = map[Key]string{
	"usul.ask": "Kirim berita atau pengumuman dari %s: teks, atau satu foto dengan keterangan. " +
		"Diskominfo memeriksanya dulu sebelum dikirim ke warga. Ketik /batal untuk berhenti.",
	"usul.not_kim":       "Perintah /usul untuk moderator KIM.",
	"usul.err_kind":      "Kirim teks, atau satu foto dengan keterangan. Dokumen, album dan stiker belum bisa diusulkan.",
	"usul.err_empty":     "Pesan itu kosong. Tulis isi beritanya, lalu kirim lagi.",
	"usul.err_caption":   "Foto perlu keterangan: tulis isi beritanya di keterangan foto, lalu kirim lagi.",
	"usul.preview_head":  "Begini warga akan menerimanya:",
	"usul.ask_area":      "Untuk warga mana? Pilih dengan tombol:",
	"usul.button_own":    "Warga %s",
	"usul.button_wider":  "Minta lebih luas: %s",
	"usul.button_cancel": "Batal",
	"usul.press_button":  "Pilih wilayah dengan tombol di atas, atau ketik /batal.",
	"usul.filed":         "Usulan #%d tersimpan dan menunggu persetujuan Diskominfo. Hasilnya akan dikabarkan di sini.",
	"usul.cancelled":     "Usulan dibatalkan.",
	"usul.expired":       "Usulan ini sudah kedaluwarsa. Kirim /usul untuk mulai lagi.",
	"usul.no_operator":   "Belum ada operator Diskominfo untuk wilayah Anda, jadi usulan belum bisa diperiksa. Hubungi Diskominfo.",
	"usul.too_many":      "Masih ada %d usulan KIM Anda yang menunggu. Tunggu keputusannya dulu.",

	"usul.notice_operator": "Usulan #%d dari %s untuk warga %s. Isinya di bawah; pilih Setujui, Ubah atau Tolak " +
		"(bisa juga di konsol web, menu Usulan).",
	"usul.button_approve":  "✅ Setujui",
	"usul.button_edit":     "✏️ Ubah",
	"usul.button_reject":   "❌ Tolak",
	"usul.approved_done":   "Usulan #%d disetujui dan dijadwalkan ke warga %s.",
	"usul.approved_kim":    "Usulan #%d disetujui Diskominfo dan dikirim ke warga %s pada %s.",
	"usul.rejected_kim":    "Usulan #%d tidak disetujui Diskominfo. Alasannya: %s",
	"usul.ask_edit":        "Kirim teks perbaikan untuk usulan #%d (untuk foto: keterangan barunya).",
	"usul.edited":          "Usulan #%d sudah diubah. Periksa lagi, lalu putuskan:",
	"usul.ask_reason":      "Tulis alasan penolakan usulan #%d (5–500 karakter). KIM akan membacanya.",
	"usul.reason_short":    "Alasan perlu 5 sampai 500 karakter. Tulis lagi, atau /batal.",
	"usul.rejected_done":   "Usulan #%d ditolak. KIM sudah diberi tahu alasannya.",
	"usul.already_decided": "Usulan ini sudah diputuskan.",
	"usul.not_found":       "Usulan itu tidak ada di wilayah Anda.",
	"usul.waiting_none":    "Tidak ada usulan KIM yang menunggu di wilayah Anda.",
	"usul.waiting_head":    "%d usulan KIM menunggu keputusan Anda:",
}

// kimNudgeTexts are what a vakum KIM's moderators read when an operator
// nudges them.
var kimNudgeTexts = map[Key]string{
	"usul.nudge": "Halo, moderator %s. Di peta KIM Diskominfo, KIM Anda tercatat vakum: %s. " +
		"Yuk aktif lagi: jawab aspirasi warga lewat /antrian, atau kirim kabar kelurahan lewat /usul.",
}
