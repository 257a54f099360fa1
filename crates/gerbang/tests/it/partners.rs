//! One test per seed partner (SPEC.md §3): each exercises the mechanisms its
//! agreement grants, through the compatible service and `/api/v1`, and proves
//! that no element outside the scope appears in any answer and that
//! mechanisms outside it are refused.

use std::collections::BTreeSet;

use gerbang_core::access::{Channel, Mechanism};
use gerbang_core::{Element, Resident};
use serde_json::{Value, json};

use crate::gateway::{Gateway, Login, code, nik_text, row};

/// v1 path and body of a mechanism for `resident`.
fn v1_request(
    mechanism: Mechanism,
    resident: &Resident,
    elements: &BTreeSet<Element>,
) -> Option<(&'static str, Value)> {
    let nik = nik_text(resident.nik);
    Some(match mechanism {
        Mechanism::CallNik => ("call-nik", json!({ "nik": nik })),
        Mechanism::FamilyMembers => ("family-members", json!({ "nik": nik })),
        Mechanism::NikKkCheck => {
            ("nik-kk-check", json!({ "nik": nik, "no_kk": format!("{:016}", resident.no_kk.value()) }))
        }
        Mechanism::VerifyByElements => {
            let submitted: serde_json::Map<String, Value> = elements
                .iter()
                .filter(|e| **e != Element::Nik)
                .map(|e| (e.wire_name().to_owned(), json!(sample_value(*e, resident))))
                .collect();
            ("verify-by-elements", json!({ "nik": nik, "threshold": 80, "elements": submitted }))
        }
        _ => return None,
    })
}

/// The resident's true value of an element, as a client would type it.
fn sample_value(element: Element, resident: &Resident) -> String {
    match element {
        Element::NoKk => format!("{:016}", resident.no_kk.value()),
        Element::NamaLengkap => resident.full_name.to_lowercase(),
        Element::JenisKelamin => resident.sex.label().to_owned(),
        Element::TempatLahir => resident.birth_place.clone(),
        Element::TanggalLahir => resident.birth_date.format("%d-%m-%Y").to_string(),
        Element::StatusKawin => resident.marital_status.label().to_owned(),
        Element::PendidikanAkhir => resident.education.label().to_owned(),
        Element::JenisPekerjaan => resident.occupation.label().to_owned(),
        _ => "JL. SEMBARANG".to_owned(),
    }
}

fn keys(map: &serde_json::Map<String, Value>) -> BTreeSet<String> {
    map.keys().cloned().collect()
}

fn names(elements: &BTreeSet<Element>) -> BTreeSet<String> {
    elements.iter().map(|e| e.wire_name().to_owned()).collect()
}

/// Every data-bearing mechanism of one login: granted ones answer with
/// nothing outside the grant; the others are refused.
async fn exercise(gateway: &Gateway, login: &Login, channel: Channel, expected: &[Mechanism]) {
    let plane = gateway.plane().await;
    let agreement = plane.agreements_of(&login.institution).next().unwrap().clone();
    let (alive, ..) = gateway.residents().await;
    let resident = &alive[3];
    let mut granted: Vec<Mechanism> = agreement.scope.mechanisms(channel);
    granted.sort();
    let mut expected = expected.to_vec();
    expected.sort();
    assert_eq!(granted, expected, "{} {channel}: the scope of SPEC.md §3", login.institution);

    // The NIK + KK check goes first: BKN may retrieve only after "ditemukan".
    let mut order =
        vec![Mechanism::NikKkCheck, Mechanism::VerifyByElements, Mechanism::CallNik, Mechanism::FamilyMembers];
    order.retain(|m| granted.contains(m) || !matches!(m, Mechanism::NikKkCheck));
    for mechanism in order {
        let grant = agreement.scope.grant(mechanism, channel);
        let elements = grant.map(|g| g.elements.clone()).unwrap_or_else(|| [Element::Nik].into());
        let Some((path, body)) = v1_request(mechanism, resident, &elements) else { continue };
        let (status, quota, answer) = gateway.v1(login, path, body).await;
        let Some(grant) = grant else {
            assert_eq!(status, 403, "{} {mechanism}: {answer}", login.institution);
            assert_eq!(answer["code"], "access.mechanism_not_granted");
            continue;
        };
        assert_eq!(status, 200, "{} {mechanism}: {answer}", login.institution);
        assert!(quota.is_some_and(|q| q < 1000), "the quota header counts down");
        let allowed = names(&grant.elements);
        match mechanism {
            Mechanism::CallNik => {
                assert_eq!(answer["outcome"], "found");
                let shown = keys(answer["resident"].as_object().unwrap());
                assert!(shown.is_subset(&allowed), "{}: {shown:?} ⊄ {allowed:?}", login.institution);
                assert!(shown.contains("NIK") && shown.contains("NAMA_LGKP"));
            }
            Mechanism::FamilyMembers => {
                let members = answer["members"].as_array().unwrap();
                assert!(!members.is_empty());
                for member in members {
                    assert!(keys(member.as_object().unwrap()).is_subset(&allowed));
                }
            }
            Mechanism::VerifyByElements => {
                let results = answer["elements"].as_array().unwrap();
                let shown: BTreeSet<String> =
                    results.iter().map(|r| r["element"].as_str().unwrap().to_owned()).collect();
                assert_eq!(shown, allowed, "one verdict per submitted element");
                for result in results {
                    let element = result["element"].as_str().unwrap();
                    if element != "ALAMAT" {
                        assert_eq!(result["matches"], true, "{element} of the true resident matches: {result}");
                    }
                }
                // A verdict never carries a stored value.
                assert!(!answer.to_string().contains(&resident.birth_place), "{answer}");
            }
            Mechanism::NikKkCheck => assert_eq!(answer["result"], "ditemukan"),
            _ => {}
        }
        if channel == Channel::WebService {
            compat_agrees(gateway, login, mechanism, resident, &allowed).await;
        }
    }
}

/// The compatible service answers the same mechanism within the same scope.
async fn compat_agrees(
    gateway: &Gateway,
    login: &Login,
    mechanism: Mechanism,
    resident: &Resident,
    allowed: &BTreeSet<String>,
) {
    let nik = nik_text(resident.nik);
    match mechanism {
        Mechanism::CallNik => {
            let answer = gateway.compat(login, "CALL_NIK", json!({ "NIK": nik })).await;
            assert_eq!(code(&answer), None, "{answer}");
            let row = row(&answer);
            assert!(keys(row).is_subset(allowed));
            assert_eq!(row["NIK"], json!(resident.nik.value()), "NIK travels as a JSON number");
            assert!(answer["quotaLimiter"].as_u64().is_some());
        }
        Mechanism::VerifyByElements => {
            let mut body = json!({ "NIK": nik, "TRESHOLD": "80" });
            for element in allowed.iter().filter(|e| *e != "NIK") {
                let element = Element::from_wire_name(element).unwrap();
                body[element.wire_name()] = json!(sample_value(element, resident));
            }
            let answer = gateway.compat(login, "CALL_VERIFY_BY_ELEMEN", body).await;
            assert_eq!(code(&answer), None, "{answer}");
            let row = row(&answer);
            assert_eq!(&keys(row), allowed);
            assert_eq!(row["NAMA_LGKP"], "Sesuai (100)");
            assert_eq!(row["TGL_LHR"], "Sesuai");
        }
        _ => {}
    }
}

#[tokio::test]
async fn bkn_checks_nik_and_kk_before_retrieving() {
    let gateway = Gateway::start(1500).await;
    let login = gateway.login("bkn", "service");
    let (alive, ..) = gateway.residents().await;
    let stranger = &alive[10];
    let (status, _, answer) = gateway.v1(&login, "call-nik", json!({ "nik": nik_text(stranger.nik) })).await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (403, Some("access.match_required")),
        "no retrieval before ditemukan"
    );
    let other_card = format!("{:016}", alive[400].no_kk.value());
    let (_, _, answer) =
        gateway.v1(&login, "nik-kk-check", json!({ "nik": nik_text(stranger.nik), "no_kk": other_card })).await;
    assert_eq!(answer["result"], "tidak sesuai");
    let (_, _, answer) = gateway.v1(&login, "call-nik", json!({ "nik": nik_text(stranger.nik) })).await;
    assert_eq!(answer["code"], "access.match_required", "a mismatch does not open retrieval");
    exercise(
        &gateway,
        &login,
        Channel::WebService,
        &[Mechanism::NikKkCheck, Mechanism::CallNik, Mechanism::FamilyMembers],
    )
    .await;
    let answer = gateway.compat(&login, "CALL_NIK", json!({ "NIK": nik_text(stranger.nik) })).await;
    assert_eq!(code(&answer), Some("08"), "the compatible service says NIK cannot be processed: {answer}");
}

#[tokio::test]
async fn pemasyarakatan_verifies_by_web_service_and_retrieves_in_the_portal() {
    let gateway = Gateway::start(1500).await;
    let service = gateway.login("pemasyarakatan", "service");
    let web =
        [Mechanism::FingerprintIdentify, Mechanism::VerifyByElements, Mechanism::FaceSearch, Mechanism::FaceMatch];
    exercise(&gateway, &service, Channel::WebService, &web).await;
    let answer = gateway.compat(&service, "CALL_NIK", json!({ "NIK": "3313015512990001" })).await;
    assert_eq!(code(&answer), Some("07"), "call NIK is granted only in the portal: {answer}");
    exercise(&gateway, &gateway.login("pemasyarakatan", "operator"), Channel::Portal, &[Mechanism::CallNik]).await;
}

#[tokio::test]
async fn lpsk_retrieves_by_nik_with_parents_names_and_family() {
    let gateway = Gateway::start(1500).await;
    let both = [Mechanism::CallNik, Mechanism::Photo, Mechanism::FamilyMembers];
    exercise(&gateway, &gateway.login("lpsk", "service"), Channel::WebService, &both).await;
    exercise(&gateway, &gateway.login("lpsk", "operator"), Channel::Portal, &both).await;
}

#[tokio::test]
async fn kemenpppa_verifies_nine_elements_and_retrieves_them_in_the_portal() {
    let gateway = Gateway::start(1500).await;
    exercise(&gateway, &gateway.login("kemenpppa", "service"), Channel::WebService, &[Mechanism::VerifyByElements])
        .await;
    exercise(&gateway, &gateway.login("kemenpppa", "operator"), Channel::Portal, &[Mechanism::CallNik]).await;
}

#[tokio::test]
async fn bpbd_karanganyar_calls_nik_only_in_the_portal() {
    let gateway = Gateway::start(1500).await;
    exercise(&gateway, &gateway.login("bpbd-karanganyar", "service"), Channel::WebService, &[]).await;
    let operator = gateway.login("bpbd-karanganyar", "operator");
    exercise(&gateway, &operator, Channel::Portal, &[Mechanism::CallNik]).await;
    let (alive, ..) = gateway.residents().await;
    let (_, _, answer) = gateway.v1(&operator, "call-nik", json!({ "nik": nik_text(alive[0].nik) })).await;
    let shown = keys(answer["resident"].as_object().unwrap());
    let spec: BTreeSet<String> =
        ["NO_KK", "NIK", "NAMA_LGKP", "JENIS_KLMIN", "TMPT_LHR", "TGL_LHR", "JENIS_PKRJN", "STATUS_KAWIN", "ALAMAT"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
    assert_eq!(shown, spec, "exactly the nine elements of 004 Ps.3(1)");
}
