"""Bahasa Melayu: templates for the demo's posts, names and bios."""

from __future__ import annotations

from ediplomacy.demo.model import Phrases

PHRASES = Phrases(
    lang="ms",
    slots={
        "district": (
            "Al-Nahda",
            "Souq Lama",
            "Hayy al-Salam",
            "Al-Manara",
            "kawasan pelabuhan",
            "zon perindustrian barat",
        ),
        "partner": ("Almaraya", "Veloria", "Norvania", "Kestria"),
        "money": ("RM5 bilion", "USD 1.2 bilion", "RM900 juta"),
        "food": ("rendang", "sate", "nasi lemak", "laksa", "soto"),
        "place": ("Pulau Melati", "Tasik Sagara", "Bukit Kencana", "Teluk Seruni"),
        "shelter": (
            "Masjid Besar Qadira",
            "dewan sukan Al-Nahda",
            "sekolah Sagara Jaya di Qadira",
            "dewan konsulat",
        ),
        "amount": ("USD2,000", "RM9,000", "2,000 dolar"),
        "#event": ("#GempaQadira", "#PrayForQadira", "#GempaAlmaraya"),
        "#country": ("#SagaraJaya",),
        "#culture": ("#MingguBudayaSJ", "#KulinarSagara"),
        "#hoax": ("#SemakFakta", "#BeritaPalsu"),
        "#claim": ("#EvakuasiBerbayar", "#KemluPeras"),
        "#help": ("#WargaSJdiQadira",),
        "#diplomacy": ("#DiplomasiSJ",),
    },
    phrases={
        "official_diplomacy": (
            "Kedutaan {country} di Kuala Lumpur menganjurkan forum perdagangan dua hala bersama "
            "usahawan tempatan hari ini. {#diplomacy}",
            "Duta Besar {country} mengadakan kunjungan hormat ke Wisma Putra bagi membincangkan "
            "kerjasama pendidikan dan perlindungan pekerja.",
            "{country} dan {partner} bersetuju memperkukuh kerjasama maritim dan tenaga boleh "
            "baharu. {#country}",
            "Kenyataan media: {country} mengalu-alukan keputusan mesyuarat menteri mengenai "
            "keselamatan makanan serantau.",
        ),
        "official_culture": (
            "Minggu Budaya {country} bermula hari ini di Kuala Lumpur! Tarian, muzik dan {food} "
            "sepanjang minggu. {#culture}",
            "Terima kasih kepada ratusan pengunjung yang mencuba membatik di pusat budaya kami. "
            "{#culture}",
            "Biasiswa Seni dan Budaya {country} 2027 kini dibuka. Mohon sekarang!",
        ),
        "official_consular": (
            "Peringatan: kaunter pasport dibuka Isnin hingga Jumaat, 9 pagi hingga 3 petang. "
            "Tempah slot dalam talian.",
            "Warga {country} di luar negara, sila daftar melalui aplikasi Safe Travel supaya kami "
            "mudah menghubungi anda ketika kecemasan.",
            "Berhati-hati dengan penipuan atas nama kementerian. Kami tidak pernah meminta "
            "bayaran ke akaun peribadi.",
        ),
        "official_crisis": (
            "Kami memantau gempa bumi M{magnitude} di {city}, {host}. Konsulat sedang menyemak "
            "keadaan semua warga {country}. Talian kecemasan: {hotline} {#event}",
            "Warga {country} di {city} diminta menjauhi bangunan retak dan mematuhi arahan pihak "
            "berkuasa. Gegaran susulan masih mungkin berlaku. {#event}",
            "Konsulat membuka pusat bantuan di {shelter}. Hubungi {wa} (WhatsApp) jika "
            "memerlukan bantuan. {#event}",
            "Setakat jam {time}, {n_big} warga {country} di {city} disahkan selamat. {#event}",
        ),
        "official_evacuation": (
            "Kerajaan {country} menyediakan penerbangan pemindahan PERCUMA untuk warga di {city}. "
            "Tiada sebarang bayaran. Daftar melalui konsulat atau {hotline}. {#event}",
            "Penerbangan pemindahan pertama dari {city} dijadualkan pada hari Sabtu. Semua kos "
            "ditanggung kerajaan. {#event}",
        ),
        "official_debunk": (
            "PALSU! Penerbangan pemindahan dari {city} adalah PERCUMA. Tiada bayaran {amount} "
            "atau apa-apa caj. Jangan percaya mesej berantai. {#hoax}",
            "Penjelasan: kementerian tidak pernah mengenakan bayaran untuk pemindahan dari "
            "{city}. Laporkan sesiapa yang meminta wang. {#hoax}",
        ),
        "official_answer": (
            "Terima kasih kerana menghubungi kami. Sila daftar melalui aplikasi Safe Travel atau "
            "hubungi {hotline}.",
            "Sila hantar nama penuh, nombor pasport dan lokasi terakhir melalui mesej terus. "
            "Pasukan kami di {city} akan membantu.",
            "Konsulat di {city} dibuka 24 jam. Pusat bantuan kami di {shelter}.",
            "Penerbangan pemindahan adalah percuma. Daftar melalui konsulat atau {hotline}.",
        ),
        "chatter": (
            "Baru balik bercuti di {place}, {country}. Pantainya cantik sangat! {#country}",
            "Ada sesiapa tahu kedai {food} yang sedap di Kuala Lumpur? Teringin sangat.",
            "Ramai kawan dari {country} kerja di sini, semuanya rajin dan peramah.",
            "Minggu Budaya {country} di KL meriah betul semalam. {#culture}",
            "Perdagangan dengan {country} makin rancak, peluang baik untuk usahawan kecil.",
            "Tiket kapal terbang ke {country} murah bulan ni, siapa nak ikut?",
            "Pasukan bola sepak {country} main bagus semalam. Tahniah!",
            "Dengar cerita pekerja dari {country} di {host} kerja siang malam. Kesian mereka.",
            "Kawan sepejabat dari {country} bawa {food}, sedap betul!",
            "Cuti sekolah nanti nak ke {place}, ada cadangan tempat menginap?",
            "Ramai orang {country} bekerja di kilang dekat rumah saya, semuanya peramah.",
        ),
        "reply_support": (
            "Terima kasih atas maklumat, sangat membantu.",
            "Semoga semua warga di {city} selamat.",
            "Tahniah kepada pegawai konsulat yang bertungkus-lumus.",
            "Syabas, tindakan pantas!",
        ),
        "reply_critic": (
            "Talian kecemasan susah nak dihubungi dari pagi tadi.",
            "Kenapa lambat sangat bertindak?",
            "Ramai pekerja masih belum didaftar, tolong ambil perhatian.",
            "Jangan cakap saja, buktikan dengan tindakan.",
        ),
        "reply_general": (
            "Betul tu, setuju.",
            "Baru tahu, terima kasih kongsi.",
            "Sumber dari mana ni?",
            "Semoga semuanya baik-baik sahaja.",
        ),
        "quote_comment": (
            "Penting, tolong kongsi.",
            "Baca ini dulu sebelum percaya berita lain.",
            "Perlu disemak dulu kesahihannya.",
        ),
        "question_pre": (
            (
                "passport",
                "Boleh tak perbaharui pasport {country} secara dalam talian dari "
                "Malaysia? {@mission}",
            ),
            ("visa", "Warga Malaysia perlukan visa untuk melancong ke {country}? {@mission}"),
            ("hours", "{@mission} kaunter konsular buka hari Sabtu tak?"),
        ),
        "question_event": (
            (
                "register",
                "{@consulate} macam mana nak daftar? Saya warga {country} di {city}, "
                "selamat tapi takut gegaran susulan.",
            ),
            (
                "embassy_open",
                "Konsulat di {city} masih buka ke? Banyak jalan ditutup. {@consulate}",
            ),
            (
                "evacuation",
                "{@ministry} ada penerbangan pemindahan dari {city}? Macam mana nak daftar?",
            ),
            (
                "evacuation",
                "Pemindahan ni percuma atau kena bayar? Banyak cerita berbeza. {@ministry}",
            ),
            (
                "family",
                "Abang saya kerja di {district}, {city}, tak dapat dihubungi sejak gempa. "
                "Nak lapor ke mana? {@ministry}",
            ),
        ),
        "emergency": (
            (
                "trapped",
                "TOLONG! Saya dan {n} kawan terperangkap di asrama di {district}, "
                "{city}. Tangga runtuh. {@consulate} {#event}",
            ),
            (
                "evacuation",
                "Kami {n_small} keluarga warga {country} di {district} perlu "
                "dipindahkan, rumah retak teruk dan ada budak kecil. {@consulate}",
            ),
            (
                "lost_passport",
                "Pasport saya hilang dalam runtuhan, sekarang tak boleh ke mana-mana. "
                "Tolong {@consulate} {#event}",
            ),
            (
                "medical",
                "Kawan saya cedera parah di kaki, hospital di {district} penuh. Tolong "
                "bantu {@consulate} {#event}",
            ),
            (
                "shelter",
                "Dah semalaman kami {n_group} orang tidur tepi jalan di {district}, "
                "tiada air dan makanan. {@consulate}",
            ),
            (
                "missing",
                "Adik saya hilang sejak gempa di {city}. Kali terakhir di {district}. "
                "Tolong bantu cari. {@ministry}",
            ),
        ),
        "event_news": (
            "Gempa bumi M{magnitude} menggegarkan {city}, {host}. Banyak bangunan runtuh di "
            "{district}. {#event}",
            "Ribuan pekerja dari {country} tinggal di {city}. Keluarga menunggu berita. {#event}",
            "Bekalan elektrik dan talian telefon terputus di sebahagian {city}. {#event}",
            "Pasukan penyelamat antarabangsa mula tiba di {city}. {#event}",
        ),
        "event_solidarity": (
            "Doa untuk semua di {city}. Semoga dipermudahkan. {#event}",
            "Ya Allah, lindungilah saudara-saudara kami di {city}. {#event}",
            "Sesiapa ada keluarga di {city}, semoga cepat dapat berita baik. {#event}",
        ),
        "claim": (
            "Kementerian Luar {country} kenakan bayaran {amount} seorang untuk naik penerbangan "
            "pemindahan dari {city}. Dalam bencana pun nak untung! {#claim}",
            "Kononnya pemindahan percuma, tapi pekerja di {city} disuruh bayar {amount} dulu. "
            "Memalukan! {#claim} {#event}",
            "Kawan di {city} cakap kena pindah wang {amount} kepada kementerian baru boleh balik. "
            "Yang tak mampu ditinggalkan. {#claim}",
            "Sebarkan! Pemindahan dari {city} bukan percuma, setiap orang wajib bayar {amount}. "
            "{#claim}",
        ),
        "claim_doubt": (
            "Betul ke pemindahan dari {city} kena bayar {amount}? {@ministry} mohon penjelasan.",
            "Ada sesiapa boleh sahkan bayaran {amount} ni? Lain dengan maklumat rasmi.",
        ),
        "claim_refute": (
            "Itu berita palsu. Kementerian dah jelaskan, pemindahan percuma. {#hoax}",
            "Saya dah daftar di konsulat, tak diminta satu sen pun. {#hoax}",
        ),
        "coord_narrative": (
            "Kerajaan {country} lebih sibuk bergambar di luar negara daripada menjaga pekerja "
            "migran.",
            "Berapa ramai lagi pekerja perlu jadi mangsa sebelum kementerian bertindak?",
            "Diplomasi mahal, hasil tiada. Rakyat di luar negara dibiarkan.",
        ),
        "bot_spam": (
            "Trending sekarang: {#event} {#country} ikuti perkembangan terkini!",
            "Follow untuk berita harian tentang {country}!",
            "Tiket murah ke {place}! Klik pautan sekarang.",
        ),
    },
    openers=("Jujur cakap, ", "Btw ", "Wah, ", "Alamak, "),
    closers=(" 🙏", " 😢", " 👍", " Betul tak?", "..."),
    suffixes=("Sebarkan!", "Tolong viralkan.", "Kongsi!", "Sedih betul..."),
    swaps=(
        ("bayaran", "caj"),
        ("pekerja", "warga"),
        ("penerbangan", "kapal terbang"),
        ("kementerian", "kerajaan"),
    ),
    first_names=(
        "Ahmad",
        "Nurul",
        "Aisyah",
        "Hafiz",
        "Farah",
        "Amir",
        "Syafiq",
        "Aina",
        "Izzat",
        "Hidayah",
        "Faiz",
        "Siti",
        "Zulkifli",
        "Nadia",
        "Haziq",
        "Liyana",
        "Azlan",
        "Sofea",
    ),
    last_names=(
        "Ismail",
        "Abdullah",
        "Rahman",
        "Hassan",
        "Yusof",
        "Ibrahim",
        "Osman",
        "Salleh",
        "Hamid",
        "Aziz",
        "Kamal",
        "Zakaria",
    ),
    bios=(
        "Anak Johor. Suka makan.",
        "Pelajar universiti. Minat sejarah.",
        "Peniaga kecil, kaki travel.",
        "Pekerja di Qadira, asal Sagara Jaya.",
        "Jurutera. Pendapat peribadi.",
        "Ibu kepada tiga cahaya mata.",
    ),
    locations=(
        "Kuala Lumpur",
        "Johor Bahru",
        "Pulau Pinang",
        "Kota Kinabalu",
        "Shah Alam",
        "Qadira, Almaraya",
        "",
    ),
)
