//! Header synonyms per kind and canonical column, in priority order: when
//! several headers of a file match one column, the earlier synonym is read
//! first and the later ones fill its gaps (Pipedrive's `Won time` then
//! `Lost time` then `Expected close date` all feed `close_date`).
//!
//! Synonyms are written as people see them; they are normalised the same way
//! as headers before comparison. They include the exact export headers of
//! Salesforce, HubSpot, Pipedrive and Zoho and their Indonesian equivalents.

use super::kinds::Kind;

/// The synonyms of canonical column `col` of `kind`.
pub fn synonyms(kind: Kind, col: &str) -> &'static [&'static str] {
    use Kind::*;
    match (kind, col) {
        (Deals, "id") => &[
            "id", "opportunity id", "deal id", "record id", "opportunity_id", "opportunityid",
            "order id", "order number", "invoice id", "invoice number", "invoice no",
            "transaction id", "id peluang", "id kesepakatan", "id transaksi", "id pesanan",
            "nomor faktur", "no faktur", "nomor pesanan",
        ],
        (Deals, "owner") => &[
            "owner", "opportunity owner", "deal owner", "sales agent", "sales_agent", "rep",
            "sales rep", "salesperson", "sales person", "account executive", "assigned to",
            "owner name", "deal owner name", "hubspot owner", "user", "sr_id",
            "tenaga penjual", "penjual", "pemilik", "nama sales", "wiraniaga", "tenaga pemasar",
        ],
        (Deals, "stage") => &[
            "stage", "deal stage", "deal_stage", "pipeline stage", "opportunity stage",
            "sales stage", "stage name", "stagename", "dealstage", "tahap", "tahapan",
            "tahap penjualan", "tahap kesepakatan",
        ],
        (Deals, "status") => &[
            "status", "outcome", "won/lost", "deal status", "opportunity status", "result",
            "hasil", "status kesepakatan", "status peluang",
        ],
        (Deals, "amount") => &[
            "amount", "deal amount", "value", "deal value", "close value", "close_value",
            "opportunity amount", "revenue", "sales", "total", "total amount", "order total",
            "invoice amount", "net amount", "amount in company currency", "nilai",
            "nilai kesepakatan", "nilai peluang", "jumlah", "pendapatan", "penjualan", "omzet",
            "total penjualan",
        ],
        (Deals, "created_date") => &[
            "created date", "create date", "createdate", "createddate", "created", "created at",
            "created time", "creation date", "date created", "deal created", "engage date",
            "engage_date", "opened date", "open date", "tanggal dibuat", "tanggal buat",
            "dibuat", "tanggal mulai",
        ],
        (Deals, "close_date") => &[
            "close date", "closed date", "closedate", "closing date", "close time",
            "closed on", "deal closed on", "date closed", "won date", "won time", "won_date",
            "lost date", "lost time", "order date", "invoice date", "sale date", "date",
            "tanggal tutup", "tanggal penutupan", "tanggal closing", "tanggal menang",
            "tanggal pesanan", "tanggal faktur", "tanggal transaksi", "tanggal",
            "expected close date", "estimated close date", "perkiraan tanggal tutup",
        ],
        (Deals, "account") => &[
            "account", "account name", "company", "company name", "organization",
            "organisation", "organization name", "customer", "customer name", "client",
            "associated company", "pelanggan", "nama pelanggan", "perusahaan", "akun", "klien",
        ],
        (Deals, "product") => &["product", "product name", "products", "item", "produk", "nama produk"],
        (Deals, "region") => &[
            "region", "territory", "sales region", "sales territory", "area", "regional office",
            "wilayah", "daerah", "kawasan",
        ],
        (Deals, "team") => &["team", "sales team", "division", "business unit", "tim", "tim penjualan"],
        (Deals, "source") => &[
            "source", "lead source", "original source", "original source type",
            "original traffic source", "deal source", "channel", "origin", "lead origin",
            "sumber", "sumber prospek", "sumber lead", "saluran",
        ],
        (Deals, "probability") => &[
            "probability", "deal probability", "win probability", "hs_deal_stage_probability",
            "probabilitas", "peluang menang",
        ],
        (Deals, "currency") => &[
            "currency", "amount currency", "opportunity currency", "deal currency",
            "currency code", "currencyisocode", "mata uang",
        ],
        (Deals, "lost_reason") => &[
            "lost reason", "closed lost reason", "loss reason", "reason lost", "alasan kalah",
            "alasan gagal",
        ],
        (Deals, "lead_id") => &["lead id", "mql id", "mql_id", "converted lead id", "id prospek", "id lead"],

        (StageHistory, "deal_id") => &[
            "deal id", "opportunity id", "opportunity_id", "opportunity", "deal", "record id",
            "id", "id peluang", "id kesepakatan",
        ],
        (StageHistory, "stage") => &[
            "stage", "to stage", "new stage", "new value", "stage name", "to", "deal stage",
            "tahap", "tahap baru",
        ],
        (StageHistory, "entered_date") => &[
            "entered date", "date entered", "entered at", "changed date", "change date",
            "last modified", "last modified date", "modified date", "edit date", "timestamp",
            "date", "tanggal masuk", "tanggal perubahan", "tanggal",
        ],

        (Activities, "rep") => &[
            "rep", "owner", "assigned to", "assigned to user", "user", "sales agent",
            "salesperson", "activity owner", "task owner", "performed by", "tenaga penjual",
            "pemilik", "pengguna",
        ],
        (Activities, "type") => &[
            "type", "activity type", "task subtype", "subtype", "task type", "event type",
            "activity", "jenis", "jenis aktivitas", "tipe", "tipe aktivitas", "kegiatan",
        ],
        (Activities, "date") => &[
            "date", "activity date", "due date", "start date", "start time", "date time",
            "completed date", "done time", "marked as done time", "timestamp", "created date",
            "tanggal", "tanggal aktivitas",
        ],
        (Activities, "duration_minutes") => &[
            "duration minutes", "duration", "duration in minutes", "minutes", "call duration",
            "length", "call duration seconds", "duration seconds", "durasi", "durasi menit",
            "durasi detik",
        ],
        (Activities, "deal_id") => &[
            "deal id", "opportunity id", "related to", "related to id", "what id", "deal",
            "opportunity", "associated deal", "id peluang",
        ],
        (Activities, "account") => &[
            "account", "account name", "company", "organization", "pelanggan", "perusahaan",
        ],
        (Activities, "outcome") => &["outcome", "result", "call outcome", "status", "hasil"],

        (Leads, "id") => &[
            "id", "lead id", "mql id", "mql_id", "record id", "contact id", "id prospek", "id lead",
        ],
        (Leads, "created_date") => &[
            "created date", "create date", "createdate", "first contact date", "created",
            "date created", "created at", "lead created", "tanggal dibuat",
            "tanggal kontak pertama",
        ],
        (Leads, "status") => &[
            "status", "lifecycle stage", "lifecyclestage", "lead status", "stage",
            "status prospek", "tahap",
        ],
        (Leads, "mql_date") => &[
            "mql date", "became a marketing qualified lead date", "date became mql",
            "marketing qualified date", "tanggal mql",
        ],
        (Leads, "sql_date") => &[
            "sql date", "became a sales qualified lead date", "date became sql",
            "sales qualified date", "tanggal sql",
        ],
        (Leads, "opportunity_date") => &[
            "opportunity date", "became an opportunity date", "converted date",
            "conversion date", "tanggal peluang",
        ],
        (Leads, "customer_date") => &[
            "customer date", "became a customer date", "won date", "tanggal pelanggan",
        ],
        (Leads, "source") => &[
            "source", "lead source", "original source", "origin", "channel", "sumber",
        ],
        (Leads, "owner") => &["owner", "lead owner", "contact owner", "sdr", "assigned to", "pemilik"],
        (Leads, "first_response_at") => &[
            "first response at", "first response", "first reply", "first response date",
            "first contacted", "time of first engagement", "respon pertama",
        ],

        (Quotas, "rep") => &["rep", "owner", "sales agent", "salesperson", "user", "name", "tenaga penjual", "nama"],
        (Quotas, "team") => &["team", "tim"],
        (Quotas, "region") => &["region", "territory", "wilayah"],
        (Quotas, "amount") => &[
            "quota", "target", "amount", "quota amount", "target amount", "sales target",
            "kuota", "target penjualan",
        ],
        (Quotas, "period") => &[
            "period", "month", "quarter", "year", "fiscal period", "periode", "bulan",
            "kuartal", "triwulan", "tahun",
        ],
        (Quotas, "period_start") => &["period start", "start date", "start", "from", "mulai", "tanggal mulai"],
        (Quotas, "period_end") => &["period end", "end date", "end", "to", "selesai", "tanggal selesai"],

        (Reps, "rep") => &[
            "rep", "sales agent", "sales_agent", "salesperson", "name", "owner", "user",
            "employee", "tenaga penjual", "nama",
        ],
        (Reps, "team") => &["team", "sales team", "tim"],
        (Reps, "manager") => &["manager", "sales manager", "manajer", "atasan"],
        (Reps, "region") => &["region", "regional office", "regional_office", "territory", "office", "wilayah", "kantor"],
        (Reps, "start_date") => &["start date", "hire date", "joined", "tanggal mulai", "tanggal bergabung"],

        (Products, "product") => &["product", "product name", "name", "item", "produk", "nama produk"],
        (Products, "list_price") => &[
            "list price", "sales price", "sales_price", "price", "unit price", "harga",
            "harga jual",
        ],

        (FxRates, "currency") => &["currency", "currency code", "code", "mata uang"],
        (FxRates, "rate") => &["rate", "fx rate", "exchange rate", "conversion rate", "kurs", "nilai tukar"],
        _ => &[],
    }
}
