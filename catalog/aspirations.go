package catalog

// aspirationTexts are the texts of the aspirations chat flows: residents
// filing and following their tickets, moderators and operators working
// the queue. Keys start with "asp.". Texts are Telegram HTML: arguments
// that carry user input are escaped by the caller.
var aspirationTexts = map[Key]string{
	// Resident: filing, guided.
	"asp.need_village":      "Sebelum mengirim aspirasi, pilih dulu kelurahan/desa tempat Anda tinggal.",
	"asp.pick_category":     "📝 <b>Aspirasi baru</b>\nPilih kategori yang paling cocok:",
	"asp.ask_text":          "Kategori: <b>%s</b>\nSekarang tulis aspirasi Anda dalam satu pesan. Ceritakan apa, di mana, dan sejak kapan.",
	"asp.ask_attachment":    "Ada foto, dokumen, atau lokasi pendukung? Kirim sekarang, atau tekan <b>Lewati</b>.",
	"asp.ask_anonymous":     "Boleh moderator KIM melihat nama Anda? Jika memilih anonim, nama dan akun Anda tidak ditampilkan.",
	"asp.preview":           "<b>Periksa dulu aspirasi Anda</b>\nKategori: %s\nLampiran: %s\nIdentitas: %s\n\n%s\n\nSudah benar?",
	"asp.filed":             "✅ Aspirasi Anda tercatat dengan nomor <b>%s</b>.\nKami kabari setiap ada perkembangan. Cek kapan saja dengan /status.",
	"asp.cancelled":         "Aspirasi dibatalkan. Kirim /aspirasi kapan saja untuk mulai lagi.",
	"asp.expired":           "Sesi ini sudah berakhir. Kirim /aspirasi untuk mulai lagi.",
	"asp.hoax_offer":        "Pesan terusan diterima. Mau kami cek kebenarannya? Tekan tombol di bawah atau kirim /aspirasi.",
	"asp.hoax_offer_taken":  "Pesan terusan dikirim untuk dicek.",
	"asp.menu_aspirasi":     "Kirim aspirasi, keluhan, atau pertanyaan",
	"asp.menu_status":       "Lihat status aspirasi Anda",
	"asp.hoax_missing_text": "Pesan terusan itu tidak berisi teks yang bisa dicek. Tuliskan isinya dengan /aspirasi teks.",
	"asp.attach_none":       "tidak ada",
	"asp.attach_photo":      "foto",
	"asp.attach_document":   "dokumen %s",
	"asp.attach_location":   "lokasi",
	"asp.identity_named":    "nama ditampilkan",
	"asp.identity_anon":     "anonim",

	// Resident: buttons.
	"asp.btn_skip":       "Lewati",
	"asp.btn_named":      "Tampilkan nama",
	"asp.btn_anon":       "Anonim",
	"asp.btn_send":       "✅ Kirim",
	"asp.btn_cancel":     "Batal",
	"asp.btn_hoax":       "🔍 Laporkan untuk dicek",
	"asp.btn_helpful":    "👍 Membantu",
	"asp.btn_nothelpful": "👎 Tidak membantu",

	// Resident: problems.
	"asp.err_flood":         "Anda sudah mengirim cukup banyak aspirasi dalam satu jam terakhir. Coba lagi nanti, ya.",
	"asp.err_too_short":     "Teksnya terlalu pendek. Ceritakan sedikit lebih rinci, ya.",
	"asp.err_too_long":      "Teksnya terlalu panjang: %d dari paling banyak %d karakter (emoji dihitung 2). Kurangi %d karakter, lalu kirim lagi.",
	"asp.err_attachment":    "Lampiran jenis ini belum bisa diterima. Kirim foto, dokumen, atau lokasi, atau tekan <b>Lewati</b>.",
	"asp.err_anon_document": "Dokumen bisa menyimpan data lokasi foto. Untuk aspirasi anonim, kirim gambarnya sebagai <b>foto</b> biasa, atau tekan Lewati.",
	"asp.err_need_text":     "Tolong tulis aspirasi Anda sebagai teks, ya.",
	"asp.err_generic":       "Maaf, sedang ada gangguan. Coba lagi sebentar lagi.",
	// An album arrives as one message per photo; a ticket keeps one attachment.
	"asp.album_first_only": "ℹ️ Anda mengirim beberapa foto sekaligus. Hanya foto <b>pertama</b> yang kami simpan; satu aspirasi memuat satu lampiran.",

	// Resident: status and thread.
	"asp.status_empty":      "Anda belum pernah mengirim aspirasi. Kirim /aspirasi untuk memulai.",
	"asp.status_header":     "<b>Aspirasi Anda</b>",
	"asp.status_line":       "<b>%s</b> · %s\n%s · %s\n<i>%s</i>",
	"asp.reply_added":       "Tanggapan Anda ditambahkan ke <b>%s</b>. Moderator akan meninjaunya lagi.",
	"asp.rate_thanks":       "Terima kasih atas penilaian Anda! 🙏",
	"asp.rate_forbidden":    "Penilaian ini tidak bisa disimpan.",
	"asp.rate_not_answered": "Penilaian bisa diberikan setelah aspirasi dijawab.",

	// Status labels.
	"asp.status.baru":       "Baru",
	"asp.status.diproses":   "Diproses",
	"asp.status.dijawab":    "Dijawab",
	"asp.status.ditolak":    "Ditolak",
	"asp.status.diteruskan": "Diteruskan ke Diskominfo",

	// Ages.
	"asp.age_now":     "baru saja",
	"asp.age_minutes": "%d menit lalu",
	"asp.age_hours":   "%d jam lalu",
	"asp.age_days":    "%d hari lalu",

	// Staff: access.
	"asp.chat_author":     "Pesan ini terkirim atas nama grup atau kanal (admin anonim), jadi bot tidak tahu siapa yang menjawab dan tidak bisa mencatatnya. Matikan \"Tetap Anonim\" atau kirim sebagai diri sendiri, lalu balas lagi; atau jawab lewat chat pribadi dengan /antrian.",
	"asp.prompt_expired":  "Sesi menjawab tiket ini sudah berakhir. Tekan Jawab (atau Tolak) lagi pada tiketnya, atau buka /antrian di chat pribadi.",
	"asp.forbidden":       "Anda tidak berwenang.",
	"asp.not_found":       "Tiket tidak ditemukan.",
	"asp.bad_transition":  "Tiket ini sudah tidak bisa diubah dengan cara itu.",
	"asp.private_only":    "Perintah ini hanya bisa dipakai di chat pribadi dengan bot.",
	"asp.invite_ok":       "Selamat datang! Anda kini moderator KIM wilayah <b>%s</b>.\nKetik /antrian untuk melihat aspirasi warga, atau /tautkan untuk menautkan grup moderator.",
	"asp.invite_already":  "Anda sudah terdaftar sebagai moderator.",
	"asp.link_code":       "Kode tautan grup: <code>%s</code>\n1. Tambahkan bot ini ke grup moderator KIM.\n2. Kirim di grup itu: <code>/tautkan %s</code>",
	"asp.link_ok":         "✅ Grup ini sekarang menerima aspirasi warga wilayah <b>%s</b>.",
	"asp.link_bad":        "Kode tautan tidak berlaku. Buat kode baru dengan /tautkan di chat pribadi dengan bot.",
	"asp.link_usage":      "Kirim <code>/tautkan KODE</code> di grup. Kodenya didapat dari /tautkan di chat pribadi dengan bot.",
	"asp.group_welcome":   "Halo! Agar aspirasi warga masuk ke grup ini, seorang moderator mengirim <code>/tautkan KODE</code> di sini. Kodenya didapat dari /tautkan di chat pribadi dengan bot.",
	"asp.staff_unlinked":  "Anda belum terdaftar sebagai moderator. Punya kode undangan? Kirim <code>/daftar KODE</code>.",
	"asp.session_expired": "Sesi ini sudah berakhir. Buka tiketnya lagi dari /antrian.",

	// Staff: actions.
	"asp.claimed_ok":         "Tiket <b>%s</b> sekarang Anda tangani.",
	"asp.already_claimed":    "Tiket ini sudah diambil moderator lain.",
	"asp.already_claimed_by": "Tiket ini sudah diambil %s.",
	"asp.claimed_by":         "🙋 Diambil oleh %s",
	"asp.ask_answer":         "Balas (reply) pesan ini dengan jawaban untuk <b>%s</b>. Jawaban Anda dikirim ke warga.",
	"asp.ask_reason":         "Balas (reply) pesan ini dengan alasan penolakan <b>%s</b>. Alasan ini dikirim ke warga.",
	"asp.answered_ok":        "✅ Jawaban untuk <b>%s</b> dikirim ke warga.",
	"asp.rejected_ok":        "Tiket <b>%s</b> ditolak. Alasannya dikirim ke warga.",
	"asp.escalated_ok":       "Tiket <b>%s</b> diteruskan ke Diskominfo.",
	"asp.action_cancel":      "Dibatalkan.",
	"asp.answer_empty":       "Jawaban tidak boleh kosong. Tulis jawabannya sebagai teks.",
	"asp.answer_long":        "Terlalu panjang: %d dari paling banyak %d karakter (emoji dihitung 2). Kurangi %d, lalu kirim lagi.",

	// Staff: queue and ticket card.
	"asp.queue_header":  "<b>Antrian aspirasi</b> (%d tiket) · halaman %d/%d",
	"asp.queue_empty":   "Antrian kosong. Tidak ada aspirasi yang menunggu. 🎉",
	"asp.queue_line":    "%d. <b>%s</b> · %s · %s\n<i>%s</i>",
	"asp.card":          "<b>%s</b> · %s\nStatus: %s · masuk %s\nWarga: %s\n\n%s",
	"asp.card_thread":   "\n\n<b>Percakapan:</b>",
	"asp.card_msg":      "\n<i>%s</i>: %s",
	"asp.from_staff":    "Moderator",
	"asp.from_citizen":  "Warga",
	"asp.resident_anon": "anonim",
	"asp.btn_prev":      "‹ Sebelumnya",
	"asp.btn_next":      "Berikutnya ›",

	// Staff: buttons.
	"asp.btn_claim":    "🙋 Ambil",
	"asp.btn_answer":   "✍️ Jawab",
	"asp.btn_reject":   "✖️ Tolak",
	"asp.btn_escalate": "⤴️ Teruskan",
	"asp.btn_canned":   "📋 Template",

	// Staff: canned answers.
	"asp.canned_usage": "Simpan template jawaban seperti ini:\n<code>/templat judul | isi jawaban</code>",
	"asp.canned_saved": "Template <b>%s</b> disimpan.",
	"asp.canned_pick":  "Pilih template untuk <b>%s</b>:",
	"asp.canned_empty": "Belum ada template. Simpan dengan <code>/templat judul | isi jawaban</code>",
	"asp.canned_bad":   "Template tidak ditemukan.",
}
