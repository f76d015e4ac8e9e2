package catalog

// aspirationOutboxTexts are what package aspirations sends through its
// outbox: posts of tickets to moderator groups and operators, news to
// residents about their tickets, and the moderators' daily digest. Keys
// start with "aspo.". Arguments carrying user input are escaped by the
// caller.
var aspirationOutboxTexts = map[Key]string{
	// Staff posts.
	"aspo.post":              "📮 <b>Aspirasi baru %s</b>\nKategori: %s\nWilayah: %s, %s\nWarga: %s\nMasuk: %s\n\n%s",
	"aspo.post_requeued":     "🔁 <b>%s kembali ke antrian</b>\nBelum dijawab dalam %d jam setelah diambil.\nKategori: %s\nWilayah: %s, %s\nWarga: %s\nMasuk: %s\n\n%s",
	"aspo.post_location":     "\n\n📍 Lokasi: %s",
	"aspo.post_attachment":   "\n\n📎 Lampiran %s menyusul di pesan berikutnya.",
	"aspo.attachment":        "📎 Lampiran <b>%s</b>",
	"aspo.rerouted_group":    "⚠️ <i>Bot tidak bisa mengirim ke grup KIM Anda (dikeluarkan, dibatasi, atau grup hilang), jadi aspirasi ini dikirim ke sini. Tautkan ulang grup dengan /tautkan.</i>\n\n",
	"aspo.group_gone":        "⚠️ Bot dikeluarkan dari grup KIM Anda, jadi aspirasi warga kini dikirim ke chat pribadi ini. Untuk memakai grup lagi, tambahkan bot ke grup lalu kirim /tautkan di sini.",
	"aspo.rerouted_reviewer": "⚠️ <i>Aspirasi ini tidak sampai ke moderator wilayahnya, jadi diteruskan ke Anda.</i>\n\n",
	"aspo.post_reply_hint":   "\n\n<i>Balas pesan ini untuk menjawab.</i>",
	"aspo.cut":               "… (terpotong)",
	"aspo.resident_reply":    "💬 <b>%s</b> · tanggapan warga (%s, %s)\n\n%s",
	"aspo.escalation":        "⤴️ <b>Aspirasi diteruskan %s</b>\nKategori: %s\nWilayah: %s, %s\nWarga: %s\nMasuk: %s\nCatatan: %s\n\n%s",
	"aspo.escalation_auto":   "tidak diambil moderator KIM dalam %d hari",
	"aspo.escalation_none":   "-",
	"aspo.claim_released":    "⏰ Tiket <b>%s</b> kembali ke antrian karena belum dijawab dalam %d jam setelah Anda ambil.",
	"aspo.answered_by_kim":   "KIM",
	"aspo.anonymous":         "anonim",
	"aspo.resident_unnamed":  "warga",
	"aspo.attach_photo":      "foto",
	"aspo.attach_document":   "dokumen",
	"aspo.attach_location":   "lokasi",

	// Resident news.
	"aspo.res_claimed":   "🔎 Aspirasi <b>%s</b> sedang diproses oleh KIM.",
	"aspo.res_answered":  "💬 <b>Jawaban untuk %s</b>\n\n%s\n\n— %s\n\n<i>Balas pesan ini jika masih ada yang ingin disampaikan.</i> Apakah jawaban ini membantu?",
	"aspo.res_rejected":  "Aspirasi <b>%s</b> tidak dapat ditindaklanjuti.\nAlasan: %s\n\n<i>Balas pesan ini jika ingin menambahkan keterangan.</i>",
	"aspo.res_escalated": "⤴️ Aspirasi <b>%s</b> diteruskan ke Diskominfo agar ditangani lebih lanjut. Kami kabari lagi jika ada jawaban.",

	// Daily digest.
	"aspo.digest_header": "☀️ <b>Ringkasan aspirasi</b>\n%d tiket menunggu di wilayah Anda:",
	"aspo.digest_line":   "\n• <b>%s</b> · %s · %s · masuk %s",
	"aspo.digest_more":   "\n…dan %d tiket lainnya.",
	"aspo.digest_footer": "\n\nBuka /antrian untuk menanganinya.",
}
