//! Arithmetic as Sprig does it: integer functions convert to int64 (truncating), the
//! `...f` functions compute with decimals and return float64.

use minijinja::Error;
use minijinja::value::{Value, ValueKind};

use super::args::{exact, func_error, go_f64_to_i64, s};

/// Sprig's `toInt64`: numbers truncated, numeric strings parsed, bools 0/1, else 0.
pub fn to_i64(v: &Value) -> i64 {
    match v.kind() {
        ValueKind::Number => v
            .as_i64()
            .unwrap_or_else(|| f64::try_from(v.clone()).map(go_f64_to_i64).unwrap_or(0)),
        ValueKind::Bool => i64::from(v.is_true()),
        ValueKind::String => {
            let t = v.as_str().unwrap_or_default().trim();
            t.parse::<i64>()
                .ok()
                .or_else(|| t.parse::<f64>().ok().map(|f| f as i64))
                .unwrap_or(0)
        }
        _ => 0,
    }
}

/// Sprig's `toFloat64`.
pub fn to_f64(v: &Value) -> f64 {
    match v.kind() {
        ValueKind::Number => f64::try_from(v.clone()).unwrap_or(0.0),
        ValueKind::Bool => f64::from(u8::from(v.is_true())),
        ValueKind::String => v.as_str().unwrap_or_default().trim().parse().unwrap_or(0.0),
        _ => 0.0,
    }
}

pub fn int(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "int")?;
    Ok(super::go_int(to_i64(&args[0])))
}

pub fn int64(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "int64")?;
    Ok(Value::from(to_i64(&args[0])))
}

pub fn float64(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "float64")?;
    Ok(Value::from(to_f64(&args[0])))
}

/// `atoi(text)`: 0 when it is not an integer.
pub fn atoi(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "atoi")?;
    // Go's strconv.Atoi gives the nearest int64 with its range error, which Sprig drops.
    use std::num::IntErrorKind::{NegOverflow, PosOverflow};
    Ok(super::go_int(match s(&args[0]).parse::<i64>() {
        Ok(n) => n,
        Err(e) if *e.kind() == PosOverflow => i64::MAX,
        Err(e) if *e.kind() == NegOverflow => i64::MIN,
        Err(_) => 0,
    }))
}

/// `toDecimal("0777")`: an octal string as a number (511).
pub fn to_decimal(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "toDecimal")?;
    Ok(Value::from(
        i64::from_str_radix(&s(&args[0]), 8).unwrap_or(0),
    ))
}

pub fn add(args: &[Value]) -> Result<Value, Error> {
    Ok(Value::from(
        args.iter().map(to_i64).fold(0i64, i64::wrapping_add),
    ))
}

pub fn add1(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "add1")?;
    Ok(Value::from(to_i64(&args[0]).wrapping_add(1)))
}

pub fn sub(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "sub")?;
    Ok(Value::from(to_i64(&args[0]).wrapping_sub(to_i64(&args[1]))))
}

pub fn mul(args: &[Value]) -> Result<Value, Error> {
    Ok(Value::from(
        args.iter().map(to_i64).fold(1i64, i64::wrapping_mul),
    ))
}

pub fn div(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "div")?;
    let b = to_i64(&args[1]);
    if b == 0 {
        return Err(func_error("runtime error: integer divide by zero"));
    }
    Ok(Value::from(to_i64(&args[0]).wrapping_div(b)))
}

pub fn modulo(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "mod")?;
    let b = to_i64(&args[1]);
    if b == 0 {
        return Err(func_error("runtime error: integer divide by zero"));
    }
    Ok(Value::from(to_i64(&args[0]).wrapping_rem(b)))
}

/// `max(a, b...)` (also `biggest`), as int64.
pub fn max(args: &[Value]) -> Result<Value, Error> {
    Ok(Value::from(args.iter().map(to_i64).max().unwrap_or(0)))
}

pub fn min(args: &[Value]) -> Result<Value, Error> {
    Ok(Value::from(args.iter().map(to_i64).min().unwrap_or(0)))
}

pub fn maxf(args: &[Value]) -> Result<Value, Error> {
    Ok(Value::from(
        args.iter().map(to_f64).fold(f64::NEG_INFINITY, f64::max),
    ))
}

pub fn minf(args: &[Value]) -> Result<Value, Error> {
    Ok(Value::from(
        args.iter().map(to_f64).fold(f64::INFINITY, f64::min),
    ))
}

/// Decimal arithmetic for the `...f` functions: exact on short decimal inputs, as
/// Sprig's shopspring/decimal is (`addf 0.1 0.2` is 0.3, not 0.30000000000000004).
/// Sprig's float arithmetic runs on shopspring/decimal: each operand is the exact
/// decimal of its shortest form (`0.1` is one tenth), sums and products are exact, a
/// quotient is rounded to 16 decimal places, and the result is the nearest float64.
/// Where the numbers outgrow 128-bit mantissas the float operation stands in.
#[derive(Clone, Copy)]
struct Dec {
    /// The value is `m * 10^e`.
    m: i128,
    e: i32,
}

impl Dec {
    fn from_f64(f: f64) -> Option<Dec> {
        if !f.is_finite() {
            return None;
        }
        let text = format!("{f:e}");
        let (mantissa, exp) = text.split_once('e')?;
        let exp: i32 = exp.parse().ok()?;
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let m: i128 = format!("{int}{frac}").parse().ok()?;
        Some(Dec {
            m,
            e: exp - frac.len() as i32,
        })
    }

    fn to_f64(self) -> f64 {
        format!("{}e{}", self.m, self.e).parse().unwrap_or(f64::NAN)
    }

    fn scaled(self, e: i32) -> Option<i128> {
        let shift = u32::try_from(self.e - e).ok()?;
        self.m.checked_mul(10i128.checked_pow(shift)?)
    }

    fn add(self, other: Dec) -> Option<Dec> {
        let e = self.e.min(other.e);
        Some(Dec {
            m: self.scaled(e)?.checked_add(other.scaled(e)?)?,
            e,
        })
    }

    fn mul(self, other: Dec) -> Option<Dec> {
        Some(Dec {
            m: self.m.checked_mul(other.m)?,
            e: self.e.checked_add(other.e)?,
        })
    }

    /// The quotient rounded half away from zero to 16 decimal places.
    fn div(self, other: Dec) -> Option<Dec> {
        if other.m == 0 {
            return None;
        }
        // self / other = (m1 / m2) * 10^(e1 - e2); want q * 10^-16.
        let shift = self.e - other.e + 16;
        let (num, den) = if shift >= 0 {
            (
                self.m
                    .checked_mul(10i128.checked_pow(u32::try_from(shift).ok()?)?)?,
                other.m,
            )
        } else {
            (
                self.m,
                other
                    .m
                    .checked_mul(10i128.checked_pow(u32::try_from(-shift).ok()?)?)?,
            )
        };
        let (q, r) = (num / den, num % den);
        let away = r.checked_mul(2)?.abs() >= den.abs();
        let q = if away {
            q + if (num < 0) != (den < 0) { -1 } else { 1 }
        } else {
            q
        };
        Some(Dec { m: q, e: -16 })
    }
}

#[derive(Clone, Copy)]
enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

fn decimal_op(values: &[f64], op: Op) -> f64 {
    let mut it = values.iter().copied();
    let Some(first) = it.next() else { return 0.0 };
    it.fold(first, |a, b| {
        let exact = (|| {
            let (x, y) = (Dec::from_f64(a)?, Dec::from_f64(b)?);
            match op {
                Op::Add => x.add(y),
                Op::Sub => x.add(Dec { m: -y.m, e: y.e }),
                Op::Mul => x.mul(y),
                Op::Div => x.div(y),
            }
        })();
        exact.map(Dec::to_f64).unwrap_or(match op {
            Op::Add => a + b,
            Op::Sub => a - b,
            Op::Mul => a * b,
            Op::Div => a / b,
        })
    })
}

pub fn addf(args: &[Value]) -> Result<Value, Error> {
    let mut v = vec![0.0];
    v.extend(args.iter().map(to_f64));
    Ok(Value::from(decimal_op(&v, Op::Add)))
}

pub fn add1f(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "add1f")?;
    Ok(Value::from(decimal_op(&[to_f64(&args[0]), 1.0], Op::Add)))
}

pub fn subf(args: &[Value]) -> Result<Value, Error> {
    let v: Vec<f64> = args.iter().map(to_f64).collect();
    Ok(Value::from(decimal_op(&v, Op::Sub)))
}

pub fn mulf(args: &[Value]) -> Result<Value, Error> {
    let v: Vec<f64> = args.iter().map(to_f64).collect();
    Ok(Value::from(decimal_op(&v, Op::Mul)))
}

pub fn divf(args: &[Value]) -> Result<Value, Error> {
    let v: Vec<f64> = args.iter().map(to_f64).collect();
    if v.iter().skip(1).any(|d| *d == 0.0) {
        return Err(func_error("divf: division by zero"));
    }
    Ok(Value::from(decimal_op(&v, Op::Div)))
}

pub fn ceil(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "ceil")?;
    Ok(Value::from(to_f64(&args[0]).ceil()))
}

pub fn floor(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "floor")?;
    Ok(Value::from(to_f64(&args[0]).floor()))
}

/// `round(value, places, roundOn=0.5)`: Sprig's `math.Pow(10, places)`, then the ceiling
/// when the fraction (signed, as `math.Modf` gives it) reaches `roundOn`, else the floor.
pub fn round(args: &[Value]) -> Result<Value, Error> {
    if args.len() < 2 {
        return Err(func_error("round: wrong number of args: want 2 or 3"));
    }
    let (v, places) = (to_f64(&args[0]), to_i64(&args[1]) as f64);
    let round_on = args.get(2).map(to_f64).unwrap_or(0.5);
    let pow = 10f64.powf(places);
    let digit = pow * v;
    let rounded = if digit.fract() >= round_on {
        digit.ceil()
    } else {
        digit.floor()
    };
    Ok(Value::from(rounded / pow))
}
