//! The seed agreements as data (SPEC.md §3 table; document numbers, dates
//! and articles from `seeds/000`–`004`). Each agreement is valid from its
//! signing ("mulai berlaku sejak ditandatanganinya", Pasal 5 / Pasal 6), and
//! its scope is a committed TOML file under `crates/gerbang/demo/scopes/`.

use chrono::NaiveDate;
use gerbang_core::access::{Obligation, ObligationKind, ProviderLevel, semester_ends};

/// A date known when the program is built.
#[allow(clippy::panic)] // only evaluated in statics: an invalid date fails the build
const fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => date,
        None => panic!("invalid date in the demo catalogue"),
    }
}

/// When an obligation falls due.
#[derive(Debug, Clone, Copy)]
pub enum Due {
    /// On the day of signing.
    AtSigning,
    /// This many months after signing.
    MonthsAfterSigning(u32),
    /// On a fixed date.
    On(NaiveDate),
}

impl Due {
    /// The due date of an agreement signed on `signed_on`.
    pub fn on(self, signed_on: NaiveDate) -> Option<NaiveDate> {
        match self {
            Due::AtSigning => Some(signed_on),
            Due::MonthsAfterSigning(months) => signed_on.checked_add_months(chrono::Months::new(months)),
            Due::On(date) => Some(date),
        }
    }
}

/// One partner of the seeds.
#[derive(Debug)]
pub struct PartnerSpec {
    /// Institution handle.
    pub code: &'static str,
    /// Official name.
    pub name: &'static str,
    /// The provider (PIHAK KESATU).
    pub provider: &'static str,
    /// `{INSTANSI}` wire name.
    pub instansi: &'static str,
    /// Numeric customer id (6 digits, distinct).
    pub customer_id: u64,
    /// NOMOR of PIHAK KESATU.
    pub provider_number: &'static str,
    /// NOMOR of PIHAK KEDUA.
    pub partner_number: &'static str,
    /// Signing date, also the first day of validity.
    pub signed_on: NaiveDate,
    /// Last day of validity as signed.
    pub valid_until: NaiveDate,
    /// The scope, TOML.
    pub scope: &'static str,
    /// The return-data schema (SPEC.md §5).
    pub return_schema: &'static str,
    /// Obligations besides the semester reports: kind, due date, and
    /// whether the seed shows it met at signing.
    pub obligations: &'static [(ObligationKind, Due, bool)],
}

/// The providers: handle, name, level.
pub static PROVIDERS: [(&str, &str, ProviderLevel); 2] = [
    ("dukcapil", "Ditjen Dukcapil", ProviderLevel::National),
    (
        "disdukcapil-3313",
        "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Karanganyar",
        ProviderLevel::Regional { region_code: 3313 },
    ),
];

/// One administrator per provider: User ID, provider.
pub static ADMINS: [(&str, &str); 2] = [("admin-dukcapil", "dukcapil"), ("admin-karanganyar", "disdukcapil-3313")];

/// The five partners, in the order of SPEC.md §3.
pub static PARTNERS: [PartnerSpec; 5] = [
    // 000: signed Jumat 20-09-2019; valid to 30-09-2020 (Pasal 5).
    PartnerSpec {
        code: "bkn",
        name: "Badan Kepegawaian Negara",
        provider: "dukcapil",
        instansi: "BKN",
        customer_id: 190_920,
        provider_number: "119 / 7138 /DUKCAPIL",
        partner_number: "32/1/KS/IX/2019",
        signed_on: ymd(2019, 9, 20),
        valid_until: ymd(2020, 9, 30),
        scope: include_str!("../../../demo/scopes/bkn.toml"),
        return_schema: "bkn",
        obligations: &[(ObligationKind::Sptjm, Due::AtSigning, false)],
    },
    // 001: signed Kamis 27 April 2023; valid to 30 April 2024 (Pasal 5);
    // ISO/IEC 27001 by June 2023 (Ps.2(2)j); technical implementation within
    // 2 months (Ps.2(2)l).
    PartnerSpec {
        code: "pemasyarakatan",
        name: "Direktorat Jenderal Pemasyarakatan Kementerian Hukum dan Hak Asasi Manusia",
        provider: "dukcapil",
        instansi: "DITJENPAS",
        customer_id: 230_427,
        provider_number: "100.4.7.1/7324/DUKCAPIL",
        partner_number: "PAS-06.HH.04.05 TAHUN 2023",
        signed_on: ymd(2023, 4, 27),
        valid_until: ymd(2024, 4, 30),
        scope: include_str!("../../../demo/scopes/pemasyarakatan.toml"),
        return_schema: "pemasyarakatan",
        obligations: &[
            (ObligationKind::Sptjm, Due::AtSigning, false),
            (ObligationKind::Iso27001, Due::On(ymd(2023, 6, 30)), false),
            (ObligationKind::TechnicalImplementation, Due::MonthsAfterSigning(2), false),
        ],
    },
    // 002: signed Rabu 6 Mei 2020; valid to 30 April 2021 (Pasal 5).
    PartnerSpec {
        code: "lpsk",
        name: "Lembaga Perlindungan Saksi dan Korban",
        provider: "dukcapil",
        instansi: "LPSK",
        customer_id: 200_506,
        provider_number: "119 / 4902 / DUKCAPIL",
        partner_number: "PKS-004/2.3.4.HMKS/LPSK/05/2020",
        signed_on: ymd(2020, 5, 6),
        valid_until: ymd(2021, 4, 30),
        scope: include_str!("../../../demo/scopes/lpsk.toml"),
        return_schema: "lpsk",
        obligations: &[(ObligationKind::Sptjm, Due::AtSigning, false)],
    },
    // 003: signed Jum'at 30 Desember 2022; valid to 31 Desember 2023
    // (Pasal 6); card reader within 1 year (Ps.3(2)d); technical
    // implementation within 2 months (Ps.3(2)k).
    PartnerSpec {
        code: "kemenpppa",
        name: "Kementerian Pemberdayaan Perempuan dan Perlindungan Anak",
        provider: "dukcapil",
        instansi: "KEMENPPPA",
        customer_id: 221_230,
        provider_number: "100.4.7.1/22120/DUKCAPIL",
        partner_number: "045/Setmen.Birohh/KL.01/12/2022",
        signed_on: ymd(2022, 12, 30),
        valid_until: ymd(2023, 12, 31),
        scope: include_str!("../../../demo/scopes/kemenpppa.toml"),
        return_schema: "kemenpppa",
        obligations: &[
            (ObligationKind::Sptjm, Due::AtSigning, false),
            (ObligationKind::TechnicalImplementation, Due::MonthsAfterSigning(2), false),
            (ObligationKind::CardReader, Due::MonthsAfterSigning(12), false),
        ],
    },
    // 004: signed kamis 10 november 2022; valid 10 November 2022 to
    // 9 November 2024 (Pasal 5); the SPTJM and an operator's NDA in the
    // annex are dated 10 November 2022 (Juknis 6d, 6e); card reader within
    // 1 year (Juknis 4a).
    PartnerSpec {
        code: "bpbd-karanganyar",
        name: "Badan Penanggulangan Bencana Daerah Kabupaten Karanganyar",
        provider: "disdukcapil-3313",
        instansi: "BPBD_KARANGANYAR",
        customer_id: 331_301,
        provider_number: "473.3/2743.12/XI/2022",
        partner_number: "473.3/448.24/XI/2022",
        signed_on: ymd(2022, 11, 10),
        valid_until: ymd(2024, 11, 9),
        scope: include_str!("../../../demo/scopes/bpbd-karanganyar.toml"),
        return_schema: "bpbd",
        obligations: &[
            (ObligationKind::Sptjm, Due::AtSigning, true),
            (ObligationKind::Nda, Due::AtSigning, true),
            (ObligationKind::CardReader, Due::MonthsAfterSigning(12), false),
        ],
    },
];

impl PartnerSpec {
    /// The agreement's obligations with their due dates: those of the
    /// catalogue, then a semester report at the end of every June and
    /// December within the signed validity (000 Ps.4, 001 Ps.4, 002 Ps.4,
    /// 003 Ps.5, 004 Ps.9).
    pub fn obligations(&self) -> Vec<Obligation> {
        let mut obligations: Vec<Obligation> = self
            .obligations
            .iter()
            .filter_map(|&(kind, due, met)| {
                let due_on = due.on(self.signed_on)?;
                Some(Obligation { kind, due_on, fulfilled_on: met.then_some(self.signed_on) })
            })
            .collect();
        obligations.extend(semester_ends(self.signed_on, self.valid_until).into_iter().map(|due_on| Obligation {
            kind: ObligationKind::SemesterReport,
            due_on,
            fulfilled_on: None,
        }));
        obligations
    }
}
