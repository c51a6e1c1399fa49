//! A fast writer and reader for the part of RON that project records use.
//!
//! `ron` escapes strings one char at a time and scans identifiers char by char: about 10 µs per
//! record each way, 4-5 times what a project of 100,000 annotations can take to save and load in
//! 200 ms (see `claimdesk bench project`). This module does the same for the subset of the serde
//! data model records are made of (structs, struct and unit variants, options, sequences,
//! strings, integers):
//!
//! - [`write_value`] produces exactly the bytes `ron::to_string` produces, scanning strings 16
//!   bytes at a time, and hands any value outside the subset (a float, a map, a tuple …) to `ron`
//!   itself;
//! - [`read_value`] and [`read_record`] read one value or one `"KEY": VALUE` record of that subset
//!   written that way (no whitespace, comments, raw strings or trailing commas), and give up with
//!   `None` on anything else, which the caller then hands to `ron`.
//!
//! So a field added to a record is always written and read correctly (by `ron` where this module
//! does not know its type) and only the speed depends on this module. Both directions are
//! checked against `ron` in the tests (every record type, every ASCII character and awkward
//! Unicode in strings, and 30 kinds of RON the reader must leave to `ron`).

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeOwned, Visitor};
use serde::ser::{self, Impossible, Serialize};

/// A value outside the subset this module handles (the caller falls back to `ron`).
#[derive(Debug)]
pub(super) struct Unsupported;

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("outside the canonical subset of RON")
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Unsupported
    }
}

impl de::Error for Unsupported {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Unsupported
    }
}

// ---------------------------------------------------------------------------------------------
// Writing

/// Appends `value` as `ron::to_string` would write it.
pub(super) fn write_value<T: Serialize + ?Sized>(
    out: &mut String,
    value: &T,
) -> Result<(), ron::Error> {
    let mark = out.len();
    if value.serialize(Writer(&mut *out)).is_err() {
        out.truncate(mark);
        ron::ser::to_writer(&mut *out, value)?;
    }
    Ok(())
}

/// A string as `ron` writes it: quoted, each char through `char::escape_debug`.
fn write_str(out: &mut String, s: &str) {
    out.push('"');
    let mut rest = s;
    loop {
        let plain = plain_prefix(rest.as_bytes());
        out.push_str(&rest[..plain]);
        let mut chars = rest[plain..].chars();
        let Some(c) = chars.next() else { break };
        out.extend(c.escape_debug());
        rest = chars.as_str();
    }
    out.push('"');
}

/// Printable ASCII other than quotes and backslash: `escape_debug` leaves it alone.
fn plain_byte(b: u8) -> bool {
    // Without short-circuits, so that it vectorises.
    (0x20..0x7f).contains(&b) & (b != b'"') & (b != b'\'') & (b != b'\\')
}

/// How many bytes at the start of `bytes` are [`plain_byte`]s.
fn plain_prefix(bytes: &[u8]) -> usize {
    let mut i = 0;
    // Sixteen at a time with no early exit inside a block, so that the check vectorises.
    while let Some(block) = bytes
        .get(i..i + 16)
        .and_then(|b| <&[u8; 16]>::try_from(b).ok())
    {
        if !block.iter().fold(true, |all, &b| all & plain_byte(b)) {
            break;
        }
        i += 16;
    }
    while bytes.get(i).is_some_and(|&b| plain_byte(b)) {
        i += 1;
    }
    i
}

fn write_u64(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&digits[start..]).unwrap_or_default());
}

/// An ASCII identifier `ron` writes as it is (it writes `r#` before other identifiers and
/// before words that would read back as something else).
fn plain_ident(name: &str) -> bool {
    let Some((&first, rest)) = name.as_bytes().split_first() else {
        return false;
    };
    (first.is_ascii_alphabetic() || first == b'_')
        && rest.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'_')
        && !(matches!(first, b't' | b'f' | b'S' | b'N' | b'i')
            && matches!(
                name,
                "true"
                    | "false"
                    | "Some"
                    | "None"
                    | "inf"
                    | "inff32"
                    | "inff64"
                    | "NaN"
                    | "NaNf32"
                    | "NaNf64"
            ))
}

/// A type name `ron` accepts without writing it (it only validates it).
fn plain_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

struct Writer<'a>(&'a mut String);

struct Compound<'a> {
    out: &'a mut String,
    first: bool,
    close: char,
}

impl Compound<'_> {
    fn separator(&mut self) {
        if self.first {
            self.first = false;
        } else {
            self.out.push(',');
        }
    }
}

impl<'a> Compound<'a> {
    fn open(out: &'a mut String, open: char, close: char) -> Self {
        out.push(open);
        Self {
            out,
            first: true,
            close,
        }
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        self.separator();
        value.serialize(Writer(self.out))
    }

    fn end(self) -> Result<(), Unsupported> {
        self.out.push(self.close);
        Ok(())
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        if !plain_ident(key) {
            return Err(Unsupported);
        }
        self.separator();
        self.out.push_str(key);
        self.out.push(':');
        value.serialize(Writer(self.out))
    }

    fn end(self) -> Result<(), Unsupported> {
        self.out.push(self.close);
        Ok(())
    }
}

impl ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        ser::SerializeStruct::serialize_field(self, key, value)
    }

    fn end(self) -> Result<(), Unsupported> {
        ser::SerializeStruct::end(self)
    }
}

impl<'a> ser::Serializer for Writer<'a> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Impossible<(), Unsupported>;
    type SerializeTupleStruct = Impossible<(), Unsupported>;
    type SerializeTupleVariant = Impossible<(), Unsupported>;
    type SerializeMap = Impossible<(), Unsupported>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), Unsupported> {
        self.0.push_str(if v { "true" } else { "false" });
        Ok(())
    }

    fn serialize_i8(self, v: i8) -> Result<(), Unsupported> {
        self.serialize_i64(v.into())
    }

    fn serialize_i16(self, v: i16) -> Result<(), Unsupported> {
        self.serialize_i64(v.into())
    }

    fn serialize_i32(self, v: i32) -> Result<(), Unsupported> {
        self.serialize_i64(v.into())
    }

    fn serialize_i64(self, v: i64) -> Result<(), Unsupported> {
        if v < 0 {
            self.0.push('-');
        }
        write_u64(self.0, v.unsigned_abs());
        Ok(())
    }

    fn serialize_u8(self, v: u8) -> Result<(), Unsupported> {
        self.serialize_u64(v.into())
    }

    fn serialize_u16(self, v: u16) -> Result<(), Unsupported> {
        self.serialize_u64(v.into())
    }

    fn serialize_u32(self, v: u32) -> Result<(), Unsupported> {
        self.serialize_u64(v.into())
    }

    fn serialize_u64(self, v: u64) -> Result<(), Unsupported> {
        write_u64(self.0, v);
        Ok(())
    }

    fn serialize_f32(self, _: f32) -> Result<(), Unsupported> {
        Err(Unsupported)
    }

    fn serialize_f64(self, _: f64) -> Result<(), Unsupported> {
        Err(Unsupported)
    }

    fn serialize_char(self, _: char) -> Result<(), Unsupported> {
        Err(Unsupported)
    }

    fn serialize_str(self, v: &str) -> Result<(), Unsupported> {
        write_str(self.0, v);
        Ok(())
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<(), Unsupported> {
        Err(Unsupported)
    }

    fn serialize_none(self) -> Result<(), Unsupported> {
        self.0.push_str("None");
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Unsupported> {
        self.0.push_str("Some(");
        value.serialize(Writer(&mut *self.0))?;
        self.0.push(')');
        Ok(())
    }

    fn serialize_unit(self) -> Result<(), Unsupported> {
        Err(Unsupported)
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Unsupported> {
        Err(Unsupported)
    }

    fn serialize_unit_variant(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Unsupported> {
        if !plain_name(name) || !plain_ident(variant) {
            return Err(Unsupported);
        }
        self.0.push_str(variant);
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<(), Unsupported> {
        Err(Unsupported)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Unsupported> {
        Err(Unsupported)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>, Unsupported> {
        Ok(Compound::open(self.0, '[', ']'))
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Compound<'a>, Unsupported> {
        // `ron` writes ranges in a short form when asked to; keep clear of them.
        if !plain_name(name) || name.starts_with("Range") {
            return Err(Unsupported);
        }
        Ok(Compound::open(self.0, '(', ')'))
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Unsupported> {
        if !plain_name(name) || !plain_ident(variant) {
            return Err(Unsupported);
        }
        self.0.push_str(variant);
        Ok(Compound::open(self.0, '(', ')'))
    }
}

// ---------------------------------------------------------------------------------------------
// Reading

/// `text` as exactly one value of type `T`, when it is in the subset this module reads.
pub(super) fn read_value<T: DeserializeOwned>(text: &str) -> Option<T> {
    let mut reader = Reader::new(text);
    let parsed = T::deserialize(&mut reader).ok()?;
    reader.at_end().then_some(parsed)
}

/// `"KEY": VALUE` as a key and a value, when it is in the subset this module reads.
pub(super) fn read_record<V: DeserializeOwned>(text: &str) -> Option<(String, V)> {
    let mut reader = Reader::new(text);
    let key = reader.string().ok()?.into_owned();
    if !(reader.eat(b':') && reader.eat(b' ')) {
        return None;
    }
    let value = V::deserialize(&mut reader).ok()?;
    reader.at_end().then_some((key, value))
}

/// A deserializer for one value in the canonical subset of RON.
struct Reader<'de> {
    text: &'de str,
    pos: usize,
}

impl<'de> Reader<'de> {
    fn new(text: &'de str) -> Self {
        Self { text, pos: 0 }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        if found {
            self.pos += 1;
        }
        found
    }

    fn expect(&mut self, byte: u8) -> Result<(), Unsupported> {
        if self.eat(byte) {
            Ok(())
        } else {
            Err(Unsupported)
        }
    }

    fn at_end(&self) -> bool {
        self.pos == self.text.len()
    }

    fn rest(&self) -> &'de str {
        &self.text[self.pos..]
    }

    /// An ASCII identifier (RON also allows Unicode ones and `r#raw`: not ours).
    fn ident(&mut self) -> Result<&'de str, Unsupported> {
        let rest = self.rest();
        let bytes = rest.as_bytes();
        if !bytes
            .first()
            .is_some_and(|&b| b.is_ascii_alphabetic() || b == b'_')
        {
            return Err(Unsupported);
        }
        let len = bytes
            .iter()
            .position(|&b| !IDENT_BYTE[usize::from(b)])
            .unwrap_or(bytes.len());
        if bytes.get(len).is_some_and(|&b| !b.is_ascii() || b == b'#') {
            return Err(Unsupported);
        }
        self.pos += len;
        rest.get(..len).ok_or(Unsupported)
    }

    /// Whether the next word is exactly `word` (not the start of a longer identifier).
    fn at_word(&self, word: &str) -> bool {
        self.rest().strip_prefix(word).is_some_and(|after| {
            !after
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || !b.is_ascii())
        })
    }

    /// Decimal digits without a leading zero, followed by the end or `,` `)` `]`.
    fn unsigned(&mut self) -> Result<u64, Unsupported> {
        let bytes = self.rest().as_bytes();
        let len = bytes
            .iter()
            .position(|b| !b.is_ascii_digit())
            .unwrap_or(bytes.len());
        if len == 0 || (len > 1 && bytes[0] == b'0') {
            return Err(Unsupported);
        }
        if !matches!(bytes.get(len), None | Some(b',' | b')' | b']')) {
            return Err(Unsupported);
        }
        let mut n: u64 = 0;
        for &b in &bytes[..len] {
            n = n
                .checked_mul(10)
                .and_then(|n| n.checked_add(u64::from(b - b'0')))
                .ok_or(Unsupported)?;
        }
        self.pos += len;
        Ok(n)
    }

    fn signed(&mut self) -> Result<i64, Unsupported> {
        let negative = self.eat(b'-');
        let magnitude = i128::from(self.unsigned()?);
        i64::try_from(if negative { -magnitude } else { magnitude }).map_err(|_| Unsupported)
    }

    /// A `"…"` string with the escapes `ron` writes (`\\ \" \' \n \r \t \0 \u{…}`).
    fn string(&mut self) -> Result<Cow<'de, str>, Unsupported> {
        self.expect(b'"')?;
        let rest = self.rest();
        let bytes = rest.as_bytes();
        let mut i = quote_or_backslash(bytes).ok_or(Unsupported)?;
        if bytes[i] == b'"' {
            self.pos += i + 1;
            return Ok(Cow::Borrowed(&rest[..i]));
        }
        let mut out = String::with_capacity(i + 16);
        let mut plain_from = 0;
        loop {
            out.push_str(&rest[plain_from..i]);
            if bytes[i] == b'"' {
                self.pos += i + 1;
                return Ok(Cow::Owned(out));
            }
            let (c, len) = escape(&bytes[i + 1..])?;
            out.push(c);
            i += 1 + len;
            plain_from = i;
            i += quote_or_backslash(&bytes[i..]).ok_or(Unsupported)?;
        }
    }
}

/// Bytes that continue an ASCII identifier.
static IDENT_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric() || b == b'_' as usize;
        b += 1;
    }
    table
};

/// Where the first `"` or `\` in `bytes` is.
fn quote_or_backslash(bytes: &[u8]) -> Option<usize> {
    memchr::memchr2(b'"', b'\\', bytes)
}

/// The char an escape stands for (after the backslash) and the bytes it takes.
fn escape(bytes: &[u8]) -> Result<(char, usize), Unsupported> {
    let c = match bytes.first() {
        Some(b'\\') => '\\',
        Some(b'"') => '"',
        Some(b'\'') => '\'',
        Some(b'n') => '\n',
        Some(b'r') => '\r',
        Some(b't') => '\t',
        Some(b'0') => '\0',
        Some(b'u') => {
            if bytes.get(1) != Some(&b'{') {
                return Err(Unsupported);
            }
            let digits = bytes[2..]
                .iter()
                .take(6)
                .take_while(|b| b.is_ascii_hexdigit())
                .count();
            if digits == 0 || bytes.get(2 + digits) != Some(&b'}') {
                return Err(Unsupported);
            }
            let hex = std::str::from_utf8(&bytes[2..2 + digits]).map_err(|_| Unsupported)?;
            let code = u32::from_str_radix(hex, 16).map_err(|_| Unsupported)?;
            let c = char::from_u32(code).ok_or(Unsupported)?;
            return Ok((c, 3 + digits));
        }
        _ => return Err(Unsupported),
    };
    Ok((c, 1))
}

/// Struct fields or sequence elements: `,`-separated, no trailing comma.
struct Items<'r, 'de> {
    reader: &'r mut Reader<'de>,
    first: bool,
    close: u8,
}

impl Items<'_, '_> {
    /// Whether another item follows (consuming the comma before it).
    fn more(&mut self) -> Result<bool, Unsupported> {
        if self.first {
            self.first = false;
            return Ok(self.reader.peek() != Some(self.close));
        }
        if self.reader.peek() == Some(self.close) {
            return Ok(false);
        }
        self.reader.expect(b',')?;
        if self.reader.peek() == Some(self.close) {
            return Err(Unsupported);
        }
        Ok(true)
    }
}

impl<'de> de::SeqAccess<'de> for Items<'_, 'de> {
    type Error = Unsupported;

    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Unsupported> {
        if !self.more()? {
            return Ok(None);
        }
        seed.deserialize(&mut *self.reader).map(Some)
    }
}

impl<'de> de::MapAccess<'de> for Items<'_, 'de> {
    type Error = Unsupported;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Unsupported> {
        if !self.more()? {
            return Ok(None);
        }
        // Struct field names are identifiers.
        let name = self.reader.ident()?;
        seed.deserialize(de::value::BorrowedStrDeserializer::<Unsupported>::new(name))
            .map(Some)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Unsupported> {
        self.reader.expect(b':')?;
        seed.deserialize(&mut *self.reader)
    }
}

impl<'de> de::EnumAccess<'de> for &mut Reader<'de> {
    type Error = Unsupported;
    type Variant = Self;

    fn variant_seed<V: de::DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self), Unsupported> {
        let name = self.ident()?;
        let variant =
            seed.deserialize(de::value::BorrowedStrDeserializer::<Unsupported>::new(name))?;
        Ok((variant, self))
    }
}

impl<'de> de::VariantAccess<'de> for &mut Reader<'de> {
    type Error = Unsupported;

    fn unit_variant(self) -> Result<(), Unsupported> {
        Ok(())
    }

    fn newtype_variant_seed<T: de::DeserializeSeed<'de>>(
        self,
        _: T,
    ) -> Result<T::Value, Unsupported> {
        Err(Unsupported)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value, Unsupported> {
        Err(Unsupported)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Unsupported> {
        self.fields(visitor)
    }
}

impl<'de> Reader<'de> {
    fn fields<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, Unsupported> {
        self.expect(b'(')?;
        let value = visitor.visit_map(Items {
            reader: &mut *self,
            first: true,
            close: b')',
        })?;
        self.expect(b')')?;
        Ok(value)
    }
}

macro_rules! unsupported {
    ($($method:ident),*) => {
        $(
            fn $method<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Unsupported> {
                Err(Unsupported)
            }
        )*
    };
}

macro_rules! integer {
    ($($method:ident $visit:ident $ty:ty, $parse:ident);*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
                let n = <$ty>::try_from(self.$parse()?).map_err(|_| Unsupported)?;
                visitor.$visit(n)
            }
        )*
    };
}

impl<'de> de::Deserializer<'de> for &mut Reader<'de> {
    type Error = Unsupported;

    unsupported!(
        deserialize_any,
        deserialize_bool,
        deserialize_f32,
        deserialize_f64,
        deserialize_char,
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_unit,
        deserialize_map,
        deserialize_ignored_any
    );

    integer!(
        deserialize_i8 visit_i8 i8, signed;
        deserialize_i16 visit_i16 i16, signed;
        deserialize_i32 visit_i32 i32, signed;
        deserialize_i64 visit_i64 i64, signed;
        deserialize_u8 visit_u8 u8, unsigned;
        deserialize_u16 visit_u16 u16, unsigned;
        deserialize_u32 visit_u32 u32, unsigned;
        deserialize_u64 visit_u64 u64, unsigned
    );

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        match self.string()? {
            Cow::Borrowed(s) => visitor.visit_borrowed_str(s),
            Cow::Owned(s) => visitor.visit_string(s),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        self.deserialize_str(visitor)
    }

    /// `None`, `Some(…)`, or (implicit `Some`, as the loader allows) the bare value.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        if self.at_word("None") {
            self.pos += "None".len();
            visitor.visit_none()
        } else if self.rest().starts_with("Some(") {
            self.pos += "Some(".len();
            let value = visitor.visit_some(&mut *self)?;
            self.expect(b')')?;
            Ok(value)
        } else if self.at_word("Some") {
            // `ron` would read this differently (`Some` then an implicit `Some`): leave it to it.
            Err(Unsupported)
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: V,
    ) -> Result<V::Value, Unsupported> {
        Err(Unsupported)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: V,
    ) -> Result<V::Value, Unsupported> {
        Err(Unsupported)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        self.expect(b'[')?;
        let value = visitor.visit_seq(Items {
            reader: &mut *self,
            first: true,
            close: b']',
        })?;
        self.expect(b']')?;
        Ok(value)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value, Unsupported> {
        Err(Unsupported)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        _: V,
    ) -> Result<V::Value, Unsupported> {
        Err(Unsupported)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Unsupported> {
        // `ron` reads ranges in a short form too; keep clear of them.
        if name.starts_with("Range") {
            return Err(Unsupported);
        }
        self.fields(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Unsupported> {
        visitor.visit_enum(self)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        let name = self.ident()?;
        visitor.visit_borrowed_str(name)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::fmt::Debug;

    use super::*;
    use crate::analysis::EntityKind;
    use crate::corpus::ArticleMeta;
    use crate::project::{
        Anchor, ArticleEntry, Capture, Claim, Entity, Evidence, EvidenceSource, FieldConflict,
        Mention, Origin, Provenance, Rating, Signed, Stance,
    };

    /// Strings that need escapes, are not ASCII, or look like RON syntax.
    const AWKWARD: &[&str] = &[
        "",
        "plain words",
        "quote \" apostrophe ' backslash \\ slash /",
        "tab\tnewline\ncarriage return\r nul\0 bell\u{7} escape\u{1b} delete\u{7f}",
        "café naïve – “curly” ‘quotes’ …",
        "e\u{301} and \u{301} alone, \u{20dd}",
        "zero width \u{200b}\u{200c}\u{200d} bom \u{feff} separators \u{2028}\u{2029} next line \u{85} nbsp \u{a0}",
        "emoji 👩‍👩‍👧 flag 🇺🇦 \u{10ffff} private \u{e000}",
        "bidi \u{202e}abc\u{202c} \u{61c}",
        "中文 עברית العربية हिन्दी",
        "r#\"raw\"# b\"bytes\" 'c'",
        "/* not a comment */ // nor this",
        "    },\n        \"k\": (",
        "None Some(x) true inf NaN",
    ];

    fn ron_read<T: DeserializeOwned>(text: &str) -> Option<T> {
        ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            .from_str(text)
            .ok()
    }

    /// The writer writes `value` as `ron` does, by itself, and the reader reads it back.
    fn round_trip<T: Serialize + DeserializeOwned + PartialEq + Debug>(value: &T) {
        let expected = ron::to_string(value).unwrap();
        let mut direct = String::new();
        value.serialize(Writer(&mut direct)).unwrap();
        assert_eq!(direct, expected);
        let mut written = String::new();
        write_value(&mut written, value).unwrap();
        assert_eq!(written, expected);
        let read: Option<T> = read_value(&expected);
        assert_eq!(read.as_ref(), Some(value), "reading {expected}");
    }

    fn anchor(text: &str) -> Anchor {
        Anchor {
            start: 3,
            end: usize::MAX,
            quote: text.into(),
            prefix: text.into(),
            suffix: String::new(),
        }
    }

    fn claim(text: &str) -> Claim {
        Claim {
            article: text.into(),
            anchor: anchor(text),
            claimant: Some(text.into()),
            verdict: None,
            note: text.into(),
            origin: Origin::Suggestion,
            conflicts: vec![FieldConflict {
                field: "verdict".into(),
                ours: text.into(),
                theirs: "False".into(),
            }],
            status: Some(text.into()),
            assignee: Some(text.into()),
            reviewer: None,
            signed_off: Some(Signed {
                by: format!("{text} <a@example.org>"),
                at: "2023-10-24T08:15:00Z".into(),
            }),
            provenance: Provenance {
                created: Some(Signed {
                    by: text.into(),
                    at: "2023-10-24T08:15:00Z".into(),
                }),
                changed: None,
            },
        }
    }

    #[test]
    fn strings_are_escaped_like_ron_for_every_ascii_char_and_awkward_unicode() {
        let mut strings: Vec<String> = AWKWARD.iter().map(|s| s.to_string()).collect();
        strings.extend((0u8..128).map(|b| format!("{}x{}", b as char, b as char)));
        strings.push("x".repeat(100) + "\"" + &"y".repeat(33));
        for s in &strings {
            round_trip(s);
        }
    }

    #[test]
    fn every_record_type_is_written_and_read_like_ron() {
        for text in AWKWARD {
            round_trip(&claim(text));
            round_trip(&Rating {
                label: text.to_string(),
                value: -7,
            });
            round_trip(&Entity {
                provenance: Provenance::default(),
                name: text.to_string(),
                kind: EntityKind::Norp,
                aliases: vec![text.to_string(), "b".into()],
                note: String::new(),
            });
            round_trip(&Mention {
                provenance: Provenance {
                    created: None,
                    changed: Some(Signed {
                        by: String::new(),
                        at: text.to_string(),
                    }),
                },
                entity: text.to_string(),
                article: "a.txt".into(),
                anchor: anchor(text),
            });
            round_trip(&ArticleEntry {
                path: text.to_string(),
                hash: "0123".into(),
                meta: ArticleMeta {
                    title: Some(text.to_string()),
                    source: None,
                    byline: Some("B".into()),
                    date: Some("2023-10-07".into()),
                    url: Some("https://example.org/a?b=c#d".into()),
                },
                corrected_text: Some(format!("{text}\n\nmore")),
                capture: Some(Capture {
                    url: format!("https://example.org/{text}"),
                    final_url: text.to_string(),
                    retrieved_at: "2023-10-24T08:15:00Z".into(),
                    status: u16::MAX,
                    content_type: "text/html; charset=utf-8".into(),
                    content_hash: format!("sha256:{text}"),
                    archive: "captures/a.warc".into(),
                }),
            });
        }
        for kind in EntityKind::ALL {
            round_trip(&Entity {
                provenance: Provenance::default(),
                name: "n".into(),
                kind,
                aliases: Vec::new(),
                note: "x".into(),
            });
        }
        for stance in Stance::ALL {
            round_trip(&Evidence {
                provenance: Provenance::default(),
                claim: "c".into(),
                stance,
                source: EvidenceSource::Url {
                    url: "https://example.org".into(),
                    title: "T".into(),
                },
                note: String::new(),
            });
        }
        round_trip(&Evidence {
            provenance: Provenance::default(),
            claim: "c".into(),
            stance: Stance::Context,
            source: EvidenceSource::Passage {
                article: "a.txt".into(),
                anchor: anchor("q"),
            },
            note: "n".into(),
        });
        round_trip(&Claim {
            verdict: Some("True".into()),
            claimant: None,
            origin: Origin::Analyst,
            conflicts: Vec::new(),
            ..claim("q")
        });
        round_trip(&ArticleEntry {
            path: "p".into(),
            hash: String::new(),
            meta: ArticleMeta::default(),
            corrected_text: None,
            capture: None,
        });
        for value in [i32::MIN, -1, 0, 1, 9, 10, i32::MAX] {
            round_trip(&Rating {
                label: "l".into(),
                value,
            });
        }
    }

    #[test]
    fn anything_else_falls_back_to_ron_when_writing() {
        #[derive(serde::Serialize)]
        struct Odd {
            float: f64,
            r#true: bool,
            map: BTreeMap<u8, char>,
            tuple: (u8, u8),
        }
        let odd = Odd {
            float: 1.5,
            r#true: true,
            map: BTreeMap::from([(1, 'x')]),
            tuple: (1, 2),
        };
        let mut out = String::from("before ");
        write_value(&mut out, &odd).unwrap();
        assert_eq!(out, format!("before {}", ron::to_string(&odd).unwrap()));
    }

    #[test]
    fn the_reader_gives_up_rather_than_read_differently_from_ron() {
        let base = r#"(article:"a.txt",anchor:(start:1,end:2,quote:"q",prefix:"",suffix:""),claimant:None,verdict:None,note:"",origin:Analyst)"#;
        let edits: &[(&str, &str)] = &[
            ("(article", "Claim(article"),
            ("origin:Analyst)", "origin:Analyst,)"),
            (",anchor", " ,anchor"),
            ("article:", "article :"),
            ("\"a.txt\"", "r\"a.txt\""),
            ("\"a.txt\"", "\"\\x61.txt\""),
            ("\"a.txt\"", "\"a.txt\\\n\""),
            ("\"a.txt\"", "\"\\u{}\""),
            ("\"a.txt\"", "\"\\u{d800}\""),
            ("\"a.txt\"", "\"\\u{1234567}\""),
            ("\"a.txt\"", "\"a.txt"),
            ("start:1", "start:0x1"),
            ("start:1", "start:01"),
            ("start:1", "start:+1"),
            ("start:1", "start:1_0"),
            ("start:1", "start:1u64"),
            ("start:1", "start:-1"),
            ("start:1", "start:18446744073709551616"),
            (",anchor", "/* c */,anchor"),
            ("claimant:None", "claimant:Some (\"S\")"),
            ("claimant:None", "claimant:Some(\"S\",)"),
            ("claimant:None", "claimant:Some"),
            ("claimant:None", "claimant:Nonesuch"),
            ("claimant:None", "unknown:1,claimant:None"),
            ("claimant:None", "article:\"b\",claimant:None"),
            ("origin:Analyst", "origin:Analyst()"),
            ("origin:Analyst", "origin:r#Analyst"),
            ("origin:Analyst", "origin:Analysté"),
            ("note:\"\"", "note:\"a\" \"b\""),
            ("note:\"\"", "r#note:\"\""),
        ];
        for (from, to) in edits {
            let text = base.replacen(from, to, 1);
            assert_ne!(text, base, "{from}");
            assert!(
                read_value::<Claim>(&text).is_none(),
                "the fast reader should leave {text} to ron"
            );
        }
        // What it does accept, it reads as ron does.
        let accepted: &[(&str, &str)] = &[
            ("claimant:None", "claimant:\"S\""),
            ("claimant:None", "claimant:Some(\"S\")"),
            ("verdict:None", "verdict:\"None\""),
            ("note:\"\"", "note:\"\\u{1F600}\\u{e9}\\'\\0\""),
            ("note:\"\"", "note:\"raw\ttab and \u{7} bell\""),
            (",origin:Analyst", ""),
            ("claimant:None,verdict:None,", ""),
        ];
        for (from, to) in accepted {
            let text = base.replacen(from, to, 1);
            let fast: Option<Claim> = read_value(&text);
            assert!(fast.is_some(), "{text}");
            assert_eq!(fast, ron_read(&text), "{text}");
        }
        assert_eq!(
            read_value::<Rating>("(label:\"x\",value:-2147483648)"),
            ron_read("(label:\"x\",value:-2147483648)")
        );
        assert!(read_value::<Rating>("(label:\"x\",value:-2147483649)").is_none());
        assert!(read_value::<Rating>("(label:\"x\",value:-0)").is_some());
    }
}
