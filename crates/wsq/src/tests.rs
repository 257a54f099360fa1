use super::*;
use crate::bytes::scaled;
use crate::huffman::{BitReader, Decoder, Symbol};
use crate::tables::{HuffmanTable, MAX_HUFFMAN_VALUES, Tables};
use crate::tree::{Node, USED_SUBBANDS, subband_tree, wavelet_tree};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(name)).unwrap()
}

#[test]
fn empty_and_foreign_input_is_not_wsq() {
    assert_eq!(decode(b"", &Limits::CARD), Err(WsqError::NotWsq));
    assert_eq!(decode(b"\xff", &Limits::CARD), Err(WsqError::NotWsq));
    assert_eq!(decode(b"\xff\xd8\xff\xe0 a JPEG", &Limits::CARD), Err(WsqError::NotWsq));
    assert!(is_wsq(&fixture("db1_101_1_r075.wsq")));
    assert!(!is_wsq(b"\xff\xd8\xff"));
}

#[test]
fn a_comment_running_past_the_end_is_truncated() {
    assert_eq!(decode(b"\xff\xa0\xff\xa8\x00\x10WSQ data", &Limits::CARD), Err(WsqError::Truncated));
    assert_eq!(decode(b"\xff\xa0", &Limits::CARD), Err(WsqError::Truncated));
}

/// Subbands that overlap would decode one area twice; subbands outside the
/// image would write past it.
#[test]
fn the_transmitted_subbands_are_disjoint_and_inside_the_image() {
    for (width, height) in [(49, 49), (50, 63), (257, 301), (388, 374), (296, 560), (2048, 2047)] {
        let q = subband_tree(&wavelet_tree(width, height));
        let mut owner = vec![usize::MAX; width * height];
        for (band, node) in q.iter().enumerate().take(USED_SUBBANDS) {
            assert!(node.lenx > 0 && node.leny > 0, "{width}×{height}: subband {band} empty");
            assert!(node.x + node.lenx <= width && node.y + node.leny <= height, "{width}×{height}: {band} {node:?}");
            for y in node.y..node.y + node.leny {
                for x in node.x..node.x + node.lenx {
                    let cell = &mut owner[y * width + x];
                    assert_eq!(*cell, usize::MAX, "{width}×{height}: subbands {} and {band} overlap", *cell);
                    *cell = band;
                }
            }
        }
    }
}

#[test]
fn the_first_split_gives_the_odd_sample_to_the_low_half() {
    let w = wavelet_tree(257, 301);
    assert_eq!(w[0], Node { x: 0, y: 0, lenx: 257, leny: 301, inv_rw: false, inv_cl: false });
    assert_eq!((w[1].lenx, w[1].leny, w[2].x, w[3].y), (129, 151, 129, 151));
    assert_eq!((w[2].lenx, w[3].leny), (128, 150));
}

fn table(counts: &[u8], values: &[u8]) -> HuffmanTable {
    let mut table = HuffmanTable { counts: [0; 16], values: [0; MAX_HUFFMAN_VALUES] };
    table.counts[..counts.len()].copy_from_slice(counts);
    table.values[..values.len()].copy_from_slice(values);
    table
}

#[test]
fn canonical_codes_decode_across_stuffed_bytes_up_to_a_marker() {
    // Codes: 0 → 7, 10 → 8, 11 → 9 (lengths 1, 2, 2).
    let decoder = Decoder::new(&table(&[1, 2], &[7, 8, 9]));
    // 1111 1111 | (stuffed 00) | 0100 0000 | marker FFA3
    let data = [0xff, 0x00, 0x40, 0xff, 0xa3];
    let mut reader = bytes::Reader::new(&data);
    let mut bits = BitReader::default();
    let mut symbols = Vec::new();
    loop {
        match bits.symbol(&mut reader, &decoder).unwrap() {
            Symbol::Value(v) => symbols.push(v),
            Symbol::Marker(m) => {
                assert_eq!(m, 0xffa3);
                break;
            }
        }
    }
    assert_eq!(symbols, [9, 9, 9, 9, 7, 8, 7, 7, 7, 7, 7]);
}

#[test]
fn a_code_longer_than_the_table_is_corrupt_not_a_read_past_it() {
    let decoder = Decoder::new(&table(&[1], &[7]));
    let data = [0xff, 0x00, 0xff, 0x00, 0xff, 0x00];
    let mut reader = bytes::Reader::new(&data);
    assert!(matches!(BitReader::default().symbol(&mut reader, &decoder), Err(WsqError::Corrupt(_))));
    // Over-full counts (300 codes of 1 bit): codes wrap, decoding errs.
    let decoder = Decoder::new(&table(&[255, 45], &[]));
    let mut reader = bytes::Reader::new(&data);
    let _ = BitReader::default().symbol(&mut reader, &decoder);
}

#[test]
fn decimal_scaling_rounds_as_nbis_does() {
    let by_steps = ((44f32 as f64 / 10.0) as f32 as f64 / 10.0) as f32;
    assert_eq!(scaled(44, 2), by_steps);
    assert_eq!(scaled(44, 0), 44.0);
    assert_eq!(scaled(u32::MAX, 255), 0.0);
}

fn tables_of(segment: &[u8]) -> crate::Result<Tables> {
    let mut tables = Tables::default();
    let mut reader = bytes::Reader::new(segment);
    let marker = reader.marker(bytes::Expect::Any)?;
    tables.read(marker, &mut reader)?;
    Ok(tables)
}

fn comment(text: &str) -> Vec<u8> {
    let mut out = vec![0xff, 0xa8];
    out.extend_from_slice(&(text.len() as u16 + 2).to_be_bytes());
    out.extend_from_slice(text.as_bytes());
    out
}

#[test]
fn the_resolution_comes_from_a_nistcom_only() {
    assert_eq!(tables_of(&comment("NIST_COM 3\nPIX_WIDTH 300\nPPI 500\n")).unwrap().ppi, Some(500));
    assert_eq!(tables_of(&comment("NIST_COM 2\nPPI  1000")).unwrap().ppi, Some(1000));
    assert_eq!(tables_of(&comment("NIST_COM 2\nPPI -1\n")).unwrap().ppi, None);
    assert_eq!(tables_of(&comment("NIST_COM 2\nPPI 99999999999999999999\n")).unwrap().ppi, Some(999_999_999));
    assert_eq!(tables_of(&comment("a note\nPPI 500\n")).unwrap().ppi, None);
    assert_eq!(tables_of(&comment("NIST_COM 1\n")).unwrap().ppi, None);
}

#[test]
fn filter_and_huffman_tables_are_checked() {
    // A DTT declaring an empty filter, and one longer than 32 taps.
    assert!(matches!(tables_of(b"\xff\xa4\x00\x04\x00\x07"), Err(WsqError::Corrupt(_))));
    assert!(matches!(tables_of(b"\xff\xa4\x00\x04\x40\x07"), Err(WsqError::Unsupported(_))));
    // A DHT for table id 9 (there are 8), and one whose length is short.
    let mut dht = b"\xff\xa6\x00\x14\x09\x01".to_vec();
    dht.extend_from_slice(&[0; 15]);
    dht.push(7);
    assert!(matches!(tables_of(&dht), Err(WsqError::Corrupt(_))));
    dht[4] = 0;
    assert!(tables_of(&dht).unwrap().huffman[0].is_some());
    dht[3] = 0x10;
    assert!(matches!(tables_of(&dht), Err(WsqError::Corrupt(_))));
}
