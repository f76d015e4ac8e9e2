package catalog

// cekTexts are the answers of the authenticity check in chat (issue 13):
// a resident forwards or pastes a message and learns whether it is an
// official announcement, an edited copy of one, or neither.
var cekTexts = map[Key]string{
	"cek.offer_stale": "Tawaran ini untuk pesan yang dicek sebelumnya. Teruskan lagi pesan yang ingin dilaporkan.",
	"cek.button":      "🔎 Cek keaslian",

	"cek.official": "✅ <b>Cocok dengan siaran resmi.</b>\n" +
		"Pesan ini sama dengan siaran %s, dikirim %s untuk %s.",
	"cek.official_link":   "\nLihat aslinya: %s",
	"cek.official_hidden": "\n(Siaran ini tidak dimuat di arsip publik.)",

	"cek.edited": "⚠️ <b>Pesan ini salinan siaran resmi yang SUDAH DIUBAH.</b>\n" +
		"Jangan percaya bagian yang diubah dan jangan sebarkan pesan ini. " +
		"Aslinya dari %s, dikirim %s untuk %s.\n\n<b>Yang berbeda:</b>",
	"cek.change":         "\n• resmi: «%s» → di pesan ini: «%s»",
	"cek.change_added":   "\n• ditambahkan: «%s»",
	"cek.change_removed": "\n• dihapus: «%s»",
	"cek.change_more":    "\n• … dan perubahan lain.",
	"cek.photo_differs":  "\n• fotonya bukan foto siaran resmi.",

	"cek.unknown": "❔ <b>Pesan ini tidak ada di antara siaran resmi</b> Diskominfo yang dikirim lewat bot ini.\n" +
		"Belum tentu hoaks, tetapi jangan sebarkan dulu: cek sumbernya, dan waspadai tautan asing " +
		"serta permintaan uang, kode OTP atau data pribadi.",
	"cek.offer": "\n\nMau KIM membantu mengecek? Tekan tombol di bawah atau kirim /aspirasi.",

	"cek.office":     "Diskominfo %s",
	"cek.office_any": "Diskominfo",
	"cek.area_sep":   ", ",

	// The marks of a cek hoaks ticket in the moderators' queue.
	"cek.mark_official": "✅ cocok dengan siaran resmi",
	"cek.mark_edited":   "⚠️ salinan siaran resmi yang DIUBAH",
}
