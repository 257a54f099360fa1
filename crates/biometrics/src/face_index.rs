//! 1:N face search: the enrolled faces nearest a probe, from an approximate
//! nearest-neighbour graph (HNSW, crate `hnsw_rs`), with an exact linear scan
//! beside it to measure what the approximation misses.
//!
//! Each enrolled face is kept keyed by its resident (the NIK): one key may
//! hold several faces (several photos of one person), and a result lists each
//! key once, at its nearest face. The index lives in memory and is rebuilt
//! from storage at start-up; nothing is ever deleted from the graph (a
//! withdrawn enrolment is filtered by the caller, or the index rebuilt).

use std::collections::HashSet;
use std::sync::{PoisonError, RwLock};

use hnsw_rs::hnsw::Hnsw;
use hnsw_rs::prelude::Distance;

use crate::face::{FaceEmbedding, similarity_from_distance, squared_distance};

/// Links per node in the graph (layer 0 keeps twice as many). 16 reached
/// recall@1 99.2 % on 1,000,000 synthetic faces (BENCHMARKS.md); more costs
/// memory and insert time.
const MAX_LINKS: usize = 16;
/// Candidates explored while inserting: the graph's quality.
const EF_CONSTRUCTION: usize = 100;
/// Graph layers; 16 is plenty for 10⁸ points at 16 links.
const MAX_LAYERS: usize = 16;
/// Candidates explored while searching, unless set with
/// [`FaceIndex::with_search_breadth`].
pub const DEFAULT_SEARCH_BREADTH: usize = 64;

/// One enrolled resident found near the probe.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    /// The key the face was enrolled under (the resident's NIK).
    pub key: String,
    /// Euclidean distance between the probe and this resident's nearest face.
    pub distance: f32,
    /// The same as a similarity score 0–100
    /// ([`similarity_from_distance`](crate::face::similarity_from_distance)).
    pub score: f32,
}

/// Euclidean distance for the graph, through the same vectorisable sum as
/// [`FaceEmbedding::distance`] (`hnsw_rs`'s own `DistL2` adds in order).
#[derive(Clone, Copy, Default)]
struct Euclidean;

impl Distance<f32> for Euclidean {
    fn eval(&self, a: &[f32], b: &[f32]) -> f32 {
        squared_distance(a, b).sqrt()
    }
}

/// The 1:N index: insert and search from many threads at once.
pub struct FaceIndex {
    graph: Hnsw<'static, f32, Euclidean>,
    /// Graph id → (key, face); the graph holds only ids. Also what the exact
    /// search scans.
    entries: RwLock<Vec<(String, FaceEmbedding)>>,
    search_breadth: usize,
}

impl std::fmt::Debug for FaceIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FaceIndex")
            .field("faces", &self.len())
            .field("search_breadth", &self.search_breadth)
            .finish_non_exhaustive()
    }
}

impl FaceIndex {
    /// An empty index sized for about `expected` faces (a hint only).
    pub fn new(expected: usize) -> FaceIndex {
        FaceIndex {
            graph: Hnsw::new(MAX_LINKS, expected.max(1), MAX_LAYERS, EF_CONSTRUCTION, Euclidean),
            entries: RwLock::new(Vec::with_capacity(expected)),
            search_breadth: DEFAULT_SEARCH_BREADTH,
        }
    }

    /// Sets how many candidates a search explores (at least the `k` asked):
    /// wider is slower and misses less.
    pub fn with_search_breadth(mut self, breadth: usize) -> FaceIndex {
        self.search_breadth = breadth.max(1);
        self
    }

    /// Number of faces enrolled.
    pub fn len(&self) -> usize {
        self.entries.read().unwrap_or_else(PoisonError::into_inner).len()
    }

    /// Whether no face is enrolled.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Enrols one face under `key`.
    pub fn insert(&self, key: impl Into<String>, embedding: FaceEmbedding) {
        let id = self.push_entry(key.into(), embedding);
        self.graph.insert_slice((embedding.as_array(), id));
    }

    /// Enrols many faces, using every core (for loading an index at
    /// start-up).
    pub fn insert_many(&self, faces: impl IntoIterator<Item = (String, FaceEmbedding)>) {
        let batch: Vec<(FaceEmbedding, usize)> =
            faces.into_iter().map(|(key, embedding)| (embedding, self.push_entry(key, embedding))).collect();
        let slices: Vec<(&[f32], usize)> =
            batch.iter().map(|(embedding, id)| (&embedding.as_array()[..], *id)).collect();
        self.graph.parallel_insert_slice(&slices);
    }

    fn push_entry(&self, key: String, embedding: FaceEmbedding) -> usize {
        let mut entries = self.entries.write().unwrap_or_else(PoisonError::into_inner);
        entries.push((key, embedding));
        entries.len() - 1
    }

    /// The `k` residents whose faces are nearest the probe, nearest first,
    /// from the graph (approximate: see the recall figures in BENCHMARKS.md).
    pub fn search(&self, probe: &FaceEmbedding, k: usize) -> Vec<Candidate> {
        if k == 0 {
            return Vec::new();
        }
        // Ask for a few more faces than keys, as one key may hold several.
        let wanted = k.saturating_mul(2);
        let found = self.graph.search(probe.as_array(), wanted, self.search_breadth.max(wanted));
        let entries = self.entries.read().unwrap_or_else(PoisonError::into_inner);
        let nearest = found.iter().filter_map(|n| entries.get(n.d_id).map(|(key, _)| (key, n.distance)));
        distinct_keys(nearest, k)
    }

    /// The same answer as [`FaceIndex::search`] by comparing the probe with
    /// every enrolled face: exact, and linear in the number of faces.
    pub fn search_exact(&self, probe: &FaceEmbedding, k: usize) -> Vec<Candidate> {
        if k == 0 {
            return Vec::new();
        }
        let entries = self.entries.read().unwrap_or_else(PoisonError::into_inner);
        let mut scored: Vec<(f32, usize)> = entries
            .iter()
            .enumerate()
            .map(|(id, (_, face))| (squared_distance(probe.as_array(), face.as_array()), id))
            .collect();
        let wanted = k.saturating_mul(2).min(scored.len());
        // A key holds few faces: the 2k nearest faces nearly always cover k
        // keys; when they do not, sort everything.
        let by_distance = |a: &(f32, usize), b: &(f32, usize)| a.0.total_cmp(&b.0);
        if wanted < scored.len() {
            scored.select_nth_unstable_by(wanted, by_distance);
            let mut head = scored[..wanted].to_vec();
            head.sort_unstable_by(by_distance);
            let keys: HashSet<&String> = head.iter().map(|(_, id)| &entries[*id].0).collect();
            if keys.len() >= k {
                scored = head;
            } else {
                scored.sort_unstable_by(by_distance);
            }
        } else {
            scored.sort_unstable_by(by_distance);
        }
        let nearest = scored.iter().map(|(squared, id)| (&entries[*id].0, squared.sqrt()));
        distinct_keys(nearest, k)
    }
}

/// The first `k` distinct keys of faces given nearest first.
fn distinct_keys<'a>(nearest: impl Iterator<Item = (&'a String, f32)>, k: usize) -> Vec<Candidate> {
    let mut seen = HashSet::new();
    nearest
        .filter(|(key, _)| seen.insert(*key))
        .take(k)
        .map(|(key, distance)| Candidate { key: key.clone(), distance, score: similarity_from_distance(distance) })
        .collect()
}

#[cfg(test)]
mod tests {
    // Tests rely on known-good fixtures and may unwrap/expect/panic.
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use crate::face_synth::SyntheticFaces;

    #[test]
    fn approximate_search_finds_the_exact_nearest_for_99_percent_of_probes() {
        let mut faces = SyntheticFaces::new(7);
        let people: Vec<_> = (0..5_000).map(|_| faces.person()).collect();
        let index = FaceIndex::new(people.len());
        index.insert_many(people.iter().enumerate().map(|(i, face)| (format!("{i:016}"), *face)));
        assert_eq!(index.len(), 5_000);
        let probes = 500;
        let mut agree = 0;
        for i in 0..probes {
            let probe = faces.photo(&people[i * 10]);
            let exact = index.search_exact(&probe, 1);
            let approximate = index.search(&probe, 1);
            assert_eq!(exact.len(), 1);
            if approximate.first().map(|c| &c.key) == exact.first().map(|c| &c.key) {
                agree += 1;
            }
        }
        let recall = f64::from(agree) / probes as f64;
        assert!(recall >= 0.99, "recall@1 {recall}");
    }

    #[test]
    fn a_key_with_several_faces_is_listed_once_at_its_nearest() {
        let mut faces = SyntheticFaces::new(3);
        let people: Vec<_> = (0..50).map(|_| faces.person()).collect();
        let index = FaceIndex::new(60);
        for (i, face) in people.iter().enumerate() {
            index.insert(format!("{i:016}"), *face);
        }
        let second_photo = faces.photo(&people[0]);
        index.insert(format!("{:016}", 0), second_photo);

        for found in [index.search(&people[0], 3), index.search_exact(&people[0], 3)] {
            assert_eq!(found.len(), 3);
            assert_eq!(found[0].key, format!("{:016}", 0));
            assert_eq!(found[0].distance, 0.0);
            assert_eq!(found[0].score, 100.0);
            assert_ne!(found[1].key, found[0].key);
            assert!(found[1].distance <= found[2].distance);
        }
    }

    #[test]
    fn an_empty_index_finds_nobody() {
        let index = FaceIndex::new(0);
        let probe = FaceEmbedding::new([0.1; FaceEmbedding::LEN]);
        assert!(index.is_empty());
        assert!(index.search(&probe, 5).is_empty());
        assert!(index.search_exact(&probe, 5).is_empty());
        index.insert("3171234567890001", probe);
        assert_eq!(index.search(&probe, 0), Vec::new());
        assert_eq!(index.search(&probe, 5).len(), 1);
    }
}
