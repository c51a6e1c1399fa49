//! The shipped models' file formats, shared by the crate and its build script: the build
//! script turns the compressed assets into ready-to-read forms once, so no run of the program
//! inflates or parses text to start (that was a quarter of analysing one article).
//!
//! This file is compiled twice (`build.rs` includes it by path): it uses only `std` and
//! `flate2`.

use std::io::Read;

/// FNV-1a: the claims model's terms are looked up by this 64-bit hash, built incrementally (a
/// bigram's hash continues from its first word's), so no n-gram string is ever allocated.
pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

pub fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// Magic of the claims model as the trainer writes it: zlib of a JSON header line and one
/// `term<TAB>idf<TAB>weight` line per vocabulary entry.
pub const CLAIMS_MAGIC: &[u8; 4] = b"CLM3";
/// Magic of the compiled form: the header, then fixed-size records (see [`compile_claims`]).
pub const COMPILED_CLAIMS_MAGIC: &[u8; 4] = b"CLB1";

/// One vocabulary entry of the claims model.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Term {
    pub hash: u64,
    pub idf: f64,
    pub weight: f64,
    /// A word-block term of two or three words.
    pub phrase: bool,
}

/// The header line and the terms (in file order: word block, then character block) of a
/// trainer-written claims model.
pub fn read_claims(bytes: &[u8]) -> Result<(String, Vec<Term>), String> {
    if bytes.get(..4) != Some(CLAIMS_MAGIC.as_slice()) {
        return Err("not a Claimdesk claims model (or an older format; retrain it)".into());
    }
    let mut raw = String::new();
    flate2::read::ZlibDecoder::new(&bytes[4..])
        .read_to_string(&mut raw)
        .map_err(|e| format!("claims model is corrupt: {e}"))?;
    let mut lines = raw.split('\n');
    let header = lines.next().unwrap_or_default().to_string();
    // Sized once, from the text: a line (term, two floats) is rarely under 16 bytes.
    let mut terms = Vec::with_capacity(raw.len() / 16);
    for (n, line) in lines.filter(|l| !l.is_empty()).enumerate() {
        let mut fields = line.split('\t');
        let (Some(term), Some(idf), Some(weight)) = (fields.next(), fields.next(), fields.next())
        else {
            return Err(format!(
                "claims model line {}: not term, idf, weight",
                n + 2
            ));
        };
        let parse = |s: &str| {
            s.parse::<f64>()
                .map_err(|e| format!("claims model line {}: {e}", n + 2))
        };
        terms.push(Term {
            hash: fnv(FNV_OFFSET, term.as_bytes()),
            idf: parse(idf)?,
            weight: parse(weight)?,
            phrase: term.contains(' '),
        });
    }
    Ok((header, terms))
}

const RECORD: usize = 25;

/// The compiled claims model (written by the build script; the crate reads it): magic, header length (u32 LE) and header, term count (u32 LE),
/// then per term its hash, idf and weight (u64 LE bit patterns: exact) and a phrase flag.
#[cfg_attr(not(test), allow(dead_code))]
pub fn compile_claims(header: &str, terms: &[Term]) -> Vec<u8> {
    let mut out = Vec::with_capacity(12 + header.len() + terms.len() * RECORD);
    out.extend_from_slice(COMPILED_CLAIMS_MAGIC);
    out.extend_from_slice(&(header.len() as u32).to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(&(terms.len() as u32).to_le_bytes());
    for t in terms {
        out.extend_from_slice(&t.hash.to_le_bytes());
        out.extend_from_slice(&t.idf.to_bits().to_le_bytes());
        out.extend_from_slice(&t.weight.to_bits().to_le_bytes());
        out.push(u8::from(t.phrase));
    }
    out
}

/// Reads [`compile_claims`]'s output back: the header and an iterator over the terms.
pub fn read_compiled_claims(
    bytes: &[u8],
) -> Result<(&str, impl ExactSizeIterator<Item = Term> + '_), String> {
    let corrupt = || "the compiled claims model is corrupt; rebuild".to_string();
    if bytes.get(..4) != Some(COMPILED_CLAIMS_MAGIC.as_slice()) {
        return Err(corrupt());
    }
    let u32_at = |at: usize| -> Result<usize, String> {
        let b = bytes.get(at..at + 4).ok_or_else(corrupt)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    };
    let header_len = u32_at(4)?;
    let header = bytes.get(8..8 + header_len).ok_or_else(corrupt)?;
    let header = std::str::from_utf8(header).map_err(|_| corrupt())?;
    let count = u32_at(8 + header_len)?;
    let body = &bytes[12 + header_len..];
    if body.len() != count * RECORD {
        return Err(corrupt());
    }
    let u64_at = |r: &[u8], at: usize| {
        let mut b = [0u8; 8];
        b.copy_from_slice(&r[at..at + 8]);
        u64::from_le_bytes(b)
    };
    let terms = body.chunks_exact(RECORD).map(move |r| Term {
        hash: u64_at(r, 0),
        idf: f64::from_bits(u64_at(r, 8)),
        weight: f64::from_bits(u64_at(r, 16)),
        phrase: r[24] != 0,
    });
    Ok((header, terms))
}

/// The NER model's bytes after inflating (the asset is raw deflate).
pub fn inflate_ner(compressed: &[u8]) -> Result<Vec<u8>, String> {
    let mut raw = Vec::new();
    flate2::read::DeflateDecoder::new(compressed)
        .read_to_end(&mut raw)
        .map_err(|e| format!("model does not decompress: {e}"))?;
    Ok(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiled_claims_read_back_exactly() {
        let terms = [
            Term {
                hash: fnv(FNV_OFFSET, b"said"),
                idf: 1.0 / 3.0,
                weight: -0.0,
                phrase: false,
            },
            Term {
                hash: u64::MAX,
                idf: f64::MIN_POSITIVE,
                weight: 1e300,
                phrase: true,
            },
        ];
        let bytes = compile_claims("{\"format\": 3}", &terms);
        let (header, back) = read_compiled_claims(&bytes).unwrap();
        assert_eq!(header, "{\"format\": 3}");
        let back: Vec<Term> = back.collect();
        assert_eq!(back.len(), 2);
        for (a, b) in back.iter().zip(&terms) {
            assert_eq!((a.hash, a.phrase), (b.hash, b.phrase));
            assert_eq!(a.idf.to_bits(), b.idf.to_bits());
            assert_eq!(a.weight.to_bits(), b.weight.to_bits());
        }
        // Cut anywhere, it is refused, never misread.
        for cut in 0..bytes.len() {
            assert!(read_compiled_claims(&bytes[..cut]).is_err(), "cut at {cut}");
        }
    }

    #[test]
    fn trainer_files_are_checked() {
        assert!(
            read_claims(b"CLM2....")
                .unwrap_err()
                .contains("older format")
        );
        assert!(
            read_claims(b"CLM3 not zlib")
                .unwrap_err()
                .contains("corrupt")
        );
    }
}
