//! Random values. Unseeded they come from the operating system (as Helm's crypto/rand);
//! with `--seed N` they come from a generator seeded with N, so renders repeat exactly,
//! which Helm cannot do.

use std::sync::Mutex;

use base64::Engine as _;
use minijinja::Error;
use minijinja::value::Value;

use super::Ctx;
use super::args::{exact, func_error, s, string_len, to_int};

/// Where random numbers come from for one render.
pub struct Randomness {
    seeded: Option<Mutex<fastrand::Rng>>,
}

impl Randomness {
    pub fn new(seed: Option<u64>) -> Randomness {
        Randomness {
            seeded: seed.map(|s| Mutex::new(fastrand::Rng::with_seed(s))),
        }
    }

    pub(crate) fn u64(&self) -> Result<u64, Error> {
        match &self.seeded {
            Some(rng) => Ok(rng
                .lock()
                .map_err(|_| func_error("random source poisoned"))?
                .u64(..)),
            None => getrandom::u64()
                .map_err(|e| func_error(format!("no randomness from the system: {e}"))),
        }
    }

    /// Uniform in `0..n` (n > 0), without modulo bias.
    fn below(&self, n: u64) -> Result<u64, Error> {
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let v = self.u64()?;
            if v < zone {
                return Ok(v % n);
            }
        }
    }

    fn bytes(&self, n: usize) -> Result<Vec<u8>, Error> {
        let mut out = Vec::with_capacity(n + 8);
        while out.len() < n {
            out.extend_from_slice(&self.u64()?.to_le_bytes());
        }
        out.truncate(n);
        Ok(out)
    }

    /// `n` characters drawn from `alphabet` for `func`; none for a negative `n`, as
    /// Sprig ignores goutils' error for it.
    fn string_from(&self, func: &str, alphabet: &[u8], n: i64) -> Result<Value, Error> {
        let n = string_len(func, u128::try_from(n).unwrap_or(0))?;
        let mut out = String::with_capacity(n);
        for _ in 0..n {
            out.push(alphabet[self.below(alphabet.len() as u64)? as usize] as char);
        }
        Ok(Value::from(out))
    }
}

const ALPHA: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const NUMERIC: &[u8] = b"0123456789";

/// The printable ASCII characters, as sprig's `randAscii` draws from.
const ASCII: [u8; 95] = {
    let mut out = [0u8; 95];
    let mut i = 0;
    while i < out.len() {
        out[i] = b' ' + i as u8;
        i += 1;
    }
    out
};

// The random functions of the registry, reading the run's one random source.

/// `randAlpha`.
pub fn rand_alpha(ctx: &Ctx, a: &[Value]) -> Result<Value, Error> {
    exact(a, 1, "randAlpha")?;
    let r = &ctx.rnd;
    r.string_from("randAlpha", ALPHA, to_int(&a[0]))
}

/// `randAlphaNum`.
pub fn rand_alpha_num(ctx: &Ctx, a: &[Value]) -> Result<Value, Error> {
    exact(a, 1, "randAlphaNum")?;
    let r = &ctx.rnd;
    r.string_from("randAlphaNum", ALNUM, to_int(&a[0]))
}

/// `randNumeric`.
pub fn rand_numeric(ctx: &Ctx, a: &[Value]) -> Result<Value, Error> {
    exact(a, 1, "randNumeric")?;
    let r = &ctx.rnd;
    r.string_from("randNumeric", NUMERIC, to_int(&a[0]))
}

/// `randAscii`.
pub fn rand_ascii(ctx: &Ctx, a: &[Value]) -> Result<Value, Error> {
    exact(a, 1, "randAscii")?;
    let r = &ctx.rnd;
    r.string_from("randAscii", &ASCII, to_int(&a[0]))
}

/// `randInt`.
pub fn rand_int(ctx: &Ctx, a: &[Value]) -> Result<Value, Error> {
    exact(a, 2, "randInt")?;
    let r = &ctx.rnd;
    // Go's `rand.Intn(max-min) + min`: the difference wraps as Go's int does.
    let (min, max) = (to_int(&a[0]), to_int(&a[1]));
    let span = max.wrapping_sub(min);
    if span <= 0 {
        return Err(func_error(
            "randInt: invalid argument to Intn (max must be above min)",
        ));
    }
    Ok(super::go_int(min + r.below(span as u64)? as i64))
}

/// `randBytes`.
pub fn rand_bytes(ctx: &Ctx, a: &[Value]) -> Result<Value, Error> {
    exact(a, 1, "randBytes")?;
    let r = &ctx.rnd;
    // Go's `make([]byte, n)` refuses a negative n; the string made is the base64.
    let Ok(n) = u128::try_from(to_int(&a[0])) else {
        return Err(func_error(
            "randBytes: runtime error: makeslice: len out of range",
        ));
    };
    string_len("randBytes", n.div_ceil(3) * 4)?;
    let bytes = r.bytes(n as usize)?;
    Ok(Value::from(
        base64::engine::general_purpose::STANDARD.encode(bytes),
    ))
}

/// `shuffle`.
pub fn shuffle(ctx: &Ctx, a: &[Value]) -> Result<Value, Error> {
    exact(a, 1, "shuffle")?;
    let r = &ctx.rnd;
    let mut chars: Vec<char> = s(&a[0]).chars().collect();
    for i in (1..chars.len()).rev() {
        let j = r.below(i as u64 + 1)? as usize;
        chars.swap(i, j);
    }
    Ok(Value::from(chars.into_iter().collect::<String>()))
}

/// `uuidv4`.
pub fn uuidv4(ctx: &Ctx, a: &[Value]) -> Result<Value, Error> {
    exact(a, 0, "uuidv4")?;
    let r = &ctx.rnd;
    let mut b = r.bytes(16)?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(Value::from(format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )))
}
