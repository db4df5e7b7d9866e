//! Go's integer types a template meets: `int` (constants such as `1`, `len`,
//! `range` indexes, `int`, `atoi`), `int64` (`--set` integers, Sprig's arithmetic) and
//! `uint8` (a byte: `index` of a string). They print alike and compare alike; only
//! `typeOf`, `kindOf`, `printf` and messages tell them apart. A Go `int` is held as a
//! signed 128-bit integer, a byte as an unsigned 128-bit one and every other integer as
//! a 64-bit one; `go_int_type` asks which (through serde, the one place the value shows
//! how it holds a number).

use minijinja::value::{Value, ValueKind};
use serde::Serialize as _;

/// The Go type of an integer value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GoInt {
    Int,
    Int64,
    Uint8,
}

impl GoInt {
    pub fn name(self) -> &'static str {
        match self {
            GoInt::Int => "int",
            GoInt::Int64 => "int64",
            GoInt::Uint8 => "uint8",
        }
    }
}

/// A Go `int`.
pub fn go_int(n: i64) -> Value {
    Value::from(i128::from(n))
}

/// A Go `uint8` (a string's element).
pub fn go_byte(b: u8) -> Value {
    Value::from(u128::from(b))
}

/// The Go type of an integer value (`None` for anything else).
pub fn go_int_type(v: &Value) -> Option<GoInt> {
    if v.kind() != ValueKind::Number || !v.is_integer() {
        return None;
    }
    v.serialize(Probe).ok()
}

/// Whether an integer value is a Go `int` (else an `int64` or a byte).
pub fn is_go_int(v: &Value) -> bool {
    go_int_type(v) == Some(GoInt::Int)
}

/// A serializer that answers whether it was handed a 128-bit integer.
struct Probe;

#[derive(Debug)]
struct NotAnInteger;

impl std::fmt::Display for NotAnInteger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not an integer")
    }
}

impl std::error::Error for NotAnInteger {}

impl serde::ser::Error for NotAnInteger {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        NotAnInteger
    }
}

macro_rules! refuse {
    ($($name:ident($($arg:ty),*)),* $(,)?) => {
        $(fn $name(self, $(_: $arg),*) -> Result<GoInt, NotAnInteger> { Err(NotAnInteger) })*
    };
}

impl serde::Serializer for Probe {
    type Ok = GoInt;
    type Error = NotAnInteger;
    type SerializeSeq = serde::ser::Impossible<GoInt, NotAnInteger>;
    type SerializeTuple = serde::ser::Impossible<GoInt, NotAnInteger>;
    type SerializeTupleStruct = serde::ser::Impossible<GoInt, NotAnInteger>;
    type SerializeTupleVariant = serde::ser::Impossible<GoInt, NotAnInteger>;
    type SerializeMap = serde::ser::Impossible<GoInt, NotAnInteger>;
    type SerializeStruct = serde::ser::Impossible<GoInt, NotAnInteger>;
    type SerializeStructVariant = serde::ser::Impossible<GoInt, NotAnInteger>;

    fn serialize_i128(self, _: i128) -> Result<GoInt, NotAnInteger> {
        Ok(GoInt::Int)
    }
    fn serialize_i64(self, _: i64) -> Result<GoInt, NotAnInteger> {
        Ok(GoInt::Int64)
    }
    fn serialize_u64(self, _: u64) -> Result<GoInt, NotAnInteger> {
        Ok(GoInt::Int64)
    }
    fn serialize_u128(self, _: u128) -> Result<GoInt, NotAnInteger> {
        Ok(GoInt::Uint8)
    }
    refuse!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str),
    );
    fn serialize_some<T: ?Sized + serde::Serialize>(self, _: &T) -> Result<GoInt, NotAnInteger> {
        Err(NotAnInteger)
    }
    fn serialize_newtype_struct<T: ?Sized + serde::Serialize>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<GoInt, NotAnInteger> {
        Err(NotAnInteger)
    }
    fn serialize_newtype_variant<T: ?Sized + serde::Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<GoInt, NotAnInteger> {
        Err(NotAnInteger)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, NotAnInteger> {
        Err(NotAnInteger)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, NotAnInteger> {
        Err(NotAnInteger)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, NotAnInteger> {
        Err(NotAnInteger)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, NotAnInteger> {
        Err(NotAnInteger)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, NotAnInteger> {
        Err(NotAnInteger)
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, NotAnInteger> {
        Err(NotAnInteger)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, NotAnInteger> {
        Err(NotAnInteger)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_ints_are_told_from_int64s() {
        assert!(is_go_int(&go_int(5)));
        assert!(!is_go_int(&Value::from(5i64)));
        assert!(!is_go_int(&Value::from(5.0)));
        assert_eq!(go_int(5).as_i64(), Some(5));
        assert_eq!(go_int(5).to_string(), "5");
        assert_eq!(go_int_type(&go_byte(98)), Some(GoInt::Uint8));
        assert_eq!(go_byte(98).to_string(), "98");
        assert_eq!(go_int_type(&Value::from("98")), None);
    }
}

/// A Go `complex128` constant (`1+2i`): templates can write one, print it (`(1+2i)`) and
/// test it; no function computes with it.
#[derive(Debug)]
pub struct Complex(pub f64, pub f64);

impl minijinja::value::Object for Complex {
    fn repr(self: &std::sync::Arc<Self>) -> minijinja::value::ObjectRepr {
        minijinja::value::ObjectRepr::Plain
    }

    fn render(self: &std::sync::Arc<Self>, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (re, im) = (
            crate::gofmt::go_float(self.0),
            crate::gofmt::go_float(self.1),
        );
        let sign = if im.starts_with(['+', '-']) { "" } else { "+" };
        write!(f, "({re}{sign}{im}i)")
    }
}
