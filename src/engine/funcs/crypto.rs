//! Keys, certificates, password hashes and encryption, as Sprig produces them: real keys
//! (RSA, ECDSA P-256, Ed25519, DSA), X.509 certificates, bcrypt hashes. With `--seed N`
//! every random input comes from the seeded source, so even keys repeat.

use std::collections::BTreeMap;

use aes::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit, block_padding::Pkcs7};
use base64::Engine as _;
use hmac::Mac as _;
use minijinja::Error;
use minijinja::value::{Value, ValueKind};

use super::Ctx;
use super::args::{exact, func_error, s, to_int};
use super::certs::{self, PrivateKey, Request};
use super::random::Randomness;

/// The run's random source as the RustCrypto traits want it.
struct Rng<'a>(&'a Randomness);

impl rand_core::RngCore for Rng<'_> {
    fn next_u32(&mut self) -> u32 {
        self.next_u64() as u32
    }

    fn next_u64(&mut self) -> u64 {
        self.0.u64().unwrap_or_default()
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for chunk in dest.chunks_mut(8) {
            let v = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

impl rand_core::CryptoRng for Rng<'_> {}

/// `genPrivateKey("rsa"|"ecdsa"|"ed25519"|"dsa")`: a PEM private key (`""` is RSA too).
fn gen_private_key(rnd: &Randomness, kind: &str) -> Result<String, Error> {
    // Make sure the source works before the libraries draw from it.
    rnd.u64()?;
    let mut rng = Rng(rnd);
    let key = match kind {
        "" | "rsa" => PrivateKey::Rsa(Box::new(rsa_key(&mut rng, 4096)?)),
        "ecdsa" => PrivateKey::P256(p256::SecretKey::random(&mut rng)),
        "ed25519" => PrivateKey::Ed25519(Box::new(ed25519_dalek::SigningKey::generate(&mut rng))),
        "dsa" => {
            let components = dsa::Components::generate(&mut rng, dsa::KeySize::DSA_2048_256);
            PrivateKey::Dsa(Box::new(dsa::SigningKey::generate(&mut rng, components)))
        }
        other => return Ok(format!("Unknown type {other}")),
    };
    key.pem()
}

fn new_rsa_2048(rnd: &Randomness) -> Result<PrivateKey, Error> {
    rnd.u64()?;
    Ok(PrivateKey::Rsa(Box::new(rsa_key(&mut Rng(rnd), 2048)?)))
}

/// An RSA key of `bits` bits with exponent 65537, as Go's `rsa.GenerateKey` makes one:
/// two random primes of half the size whose product has exactly `bits` bits. The primes
/// come from crypto-primes (sieve, Miller-Rabin and Lucas on crypto-bigint's Montgomery
/// arithmetic), several times faster than the rsa crate's own search. As in Go, each
/// search starts with the top two bits set, so the product always has `bits` bits: with
/// the top bit only, two pairs in five came out a bit short and were searched again.
fn rsa_key(rng: &mut Rng<'_>, bits: usize) -> Result<rsa::RsaPrivateKey, Error> {
    use rsa::BigUint;
    use rsa::traits::PublicKeyParts as _;
    let half = bits / 2;
    // Limbs are machine words; the words come least significant first.
    const WORD: usize = usize::BITS as usize;
    fn be_bytes(words: &[impl Copy + Into<u64>]) -> Vec<u8> {
        let width = std::mem::size_of_val(&words[0]);
        words
            .iter()
            .rev()
            .flat_map(|w| {
                let w: u64 = (*w).into();
                w.to_be_bytes()[8 - width..].to_vec()
            })
            .collect()
    }
    /// `generate_prime_with_rng` with the second bit of the start set too.
    fn search<const L: usize>(rng: &mut Rng<'_>, bits: usize) -> Vec<u8> {
        use crypto_bigint::Uint;
        use crypto_primes::hazmat::{Sieve, random_odd_uint};
        loop {
            let start = random_odd_uint::<L>(rng, bits) | (Uint::<L>::ONE << (bits - 2));
            for candidate in Sieve::new(&start, bits, false) {
                if crypto_primes::is_prime_with_rng(rng, &candidate) {
                    return be_bytes(candidate.as_words());
                }
            }
        }
    }
    let prime = |rng: &mut Rng<'_>| -> BigUint {
        let bytes = match half {
            1024 => search::<{ 1024 / WORD }>(rng, 1024),
            _ => search::<{ 2048 / WORD }>(rng, 2048),
        };
        BigUint::from_bytes_be(&bytes)
    };
    loop {
        let (p, q) = (prime(rng), prime(rng));
        if p == q {
            continue;
        }
        let Ok(key) = rsa::RsaPrivateKey::from_p_q(p, q, BigUint::from(65_537u32)) else {
            continue;
        };
        if key.n().bits() == bits {
            return Ok(key);
        }
    }
}

fn strings(v: Option<&Value>, what: &str) -> Result<Vec<String>, Error> {
    let Some(v) = v else { return Ok(Vec::new()) };
    if v.is_none() || v.is_undefined() {
        return Ok(Vec::new());
    }
    let items = super::lists::items(v, what)?;
    items
        .iter()
        .map(|i| match i.kind() {
            ValueKind::String => Ok(s(i)),
            _ => Err(func_error(format!("{what}: {} is not a string", s(i)))),
        })
        .collect()
}

/// Sprig's certificate template from the arguments: `(cn, days)` for a CA,
/// `(cn, ips, dnsNames, days, ...)` otherwise; the serial is 128 random bits.
fn request(
    args: &[Value],
    ca: bool,
    rnd: &Randomness,
    now: jiff::Timestamp,
) -> Result<Request, Error> {
    let cn = s(&args[0]);
    let (ips, dns, days) = if ca {
        (Vec::new(), Vec::new(), to_int(&args[1]))
    } else {
        let ips = strings(args.get(1), "error parsing ip")?
            .iter()
            .map(|ip| {
                ip.parse()
                    .map_err(|_| func_error(format!("error parsing ip: {ip}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let dns = strings(args.get(2), "error processing alternate dns name")?;
        (ips, dns, to_int(&args[3]))
    };
    let mut serial = [0u8; 16];
    rand_core::RngCore::fill_bytes(&mut Rng(rnd), &mut serial);
    let now = now.as_nanosecond();
    Ok(Request {
        cn,
        ips,
        dns,
        not_before: now,
        not_after: now + i128::from(go_days(days)),
        serial,
        ca,
    })
}

/// Sprig's validity, `time.Hour * 24 * time.Duration(days)`, in nanoseconds: the
/// product wraps as Go's int64 does, so `genCA("x", 3000000)` is valid for about 30
/// years and `genCA("x", 2**62)` ends where it starts, as in Helm.
fn go_days(days: i64) -> i64 {
    const DAY: i64 = 24 * 3600 * 1_000_000_000;
    DAY.wrapping_mul(days)
}

fn certificate(cert: String, key: String) -> Value {
    Value::from(BTreeMap::from([
        ("Cert", Value::from(cert)),
        ("Key", Value::from(key)),
    ]))
}

/// A key passed to a `...WithKey` function, with Sprig's words when it cannot be read.
fn given_key(pem: &Value) -> Result<PrivateKey, Error> {
    PrivateKey::from_pem(&s(pem)).map_err(|e| func_error(format!("parsing private key: {e}")))
}

fn self_signed(req: &Request, key: PrivateKey) -> Result<Value, Error> {
    let cert = certs::create(req, &key, None)?;
    Ok(certificate(cert, key.pem()?))
}

/// A certificate signed by `ca` (a `{Cert, Key}` from `genCA`); Sprig reads the CA
/// before it builds the request.
fn signed(
    args: &[Value],
    key: PrivateKey,
    ca: &Value,
    rnd: &Randomness,
    now: jiff::Timestamp,
) -> Result<Value, Error> {
    let ca_cert = s(&ca.get_attr("Cert")?);
    let ca_cert = certs::parse_certificate(&ca_cert, "decodedSignerCert").map_err(func_error)?;
    let ca_key = PrivateKey::from_pem(&s(&ca.get_attr("Key")?))
        .map_err(|e| func_error(format!("error parsing private key: {e}")))?;
    let issuer = certs::Issuer::new(ca_cert, &ca_key);
    let req = request(args, false, rnd, now)?;
    let cert = certs::create(&req, &key, Some(&issuer))?;
    Ok(certificate(cert, key.pem()?))
}

/// `buildCustomCert(base64Cert, base64Key)`.
pub fn build_custom_cert(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "buildCustomCert")?;
    let b64 = base64::engine::general_purpose::STANDARD;
    let cert = b64
        .decode(s(&args[0]))
        .map_err(|_| func_error("unable to decode base64 certificate"))?;
    let key = b64
        .decode(s(&args[1]))
        .map_err(|_| func_error("unable to decode base64 private key"))?;
    let (cert, key) = (
        String::from_utf8_lossy(&cert).into_owned(),
        String::from_utf8_lossy(&key).into_owned(),
    );
    certs::parse_certificate(&cert, "decodedCert").map_err(func_error)?;
    PrivateKey::from_pem(&key)
        .map_err(|e| func_error(format!("error parsing private key: {e}")))?;
    Ok(certificate(cert, key))
}

/// `bcrypt(password)`: a `$2a$10$` hash, as Sprig (Go's bcrypt) writes it.
fn bcrypt_hash(rnd: &Randomness, password: &str) -> Result<String, Error> {
    let mut salt = [0u8; 16];
    rand_core::RngCore::fill_bytes(&mut Rng(rnd), &mut salt);
    bcrypt::hash_with_salt(password, 10, salt)
        .map(|h| h.format_for_version(bcrypt::Version::TwoA))
        .map_err(|e| func_error(e.to_string()))
}

const MASTER_PASSWORD_SEED: &[u8] = b"com.lyndir.masterpassword";

fn templates(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "maximum" => &["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        "long" => &[
            "CvcvnoCvcvCvcv",
            "CvcvCvcvnoCvcv",
            "CvcvCvcvCvcvno",
            "CvccnoCvcvCvcv",
            "CvccCvcvnoCvcv",
            "CvccCvcvCvcvno",
            "CvcvnoCvccCvcv",
            "CvcvCvccnoCvcv",
            "CvcvCvccCvcvno",
            "CvcvnoCvcvCvcc",
            "CvcvCvcvnoCvcc",
            "CvcvCvcvCvccno",
            "CvccnoCvccCvcv",
            "CvccCvccnoCvcv",
            "CvccCvccCvcvno",
            "CvcvnoCvccCvcc",
            "CvcvCvccnoCvcc",
            "CvcvCvccCvccno",
            "CvccnoCvcvCvcc",
            "CvccCvcvnoCvcc",
            "CvccCvcvCvccno",
        ],
        "medium" => &["CvcnoCvc", "CvcCvcno"],
        "short" => &["Cvcn"],
        "basic" => &["aaanaaan", "aannaaan", "aaannaaa"],
        "pin" => &["nnnn"],
        _ => return None,
    })
}

fn template_characters(c: u8) -> &'static [u8] {
    match c {
        b'V' => b"AEIOU",
        b'C' => b"BCDFGHJKLMNPQRSTVWXYZ",
        b'v' => b"aeiou",
        b'c' => b"bcdfghjklmnpqrstvwxyz",
        b'A' => b"AEIOUBCDFGHJKLMNPQRSTVWXYZ",
        b'a' => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
        b'n' => b"0123456789",
        b'o' => b"@&%?,=[]_:-+*$#!'^~;()/.",
        _ => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
    }
}

/// `derivePassword(counter, type, password, user, site)`: the Master Password algorithm.
pub fn derive_password(args: &[Value]) -> Result<Value, Error> {
    exact(args, 5, "derivePassword")?;
    let counter = to_int(&args[0]) as u32;
    let kind = s(&args[1]);
    let Some(templates) = templates(&kind) else {
        return Ok(Value::from(format!("cannot find password template {kind}")));
    };
    let (password, user, site) = (s(&args[2]), s(&args[3]), s(&args[4]));
    let mut salt = MASTER_PASSWORD_SEED.to_vec();
    salt.extend_from_slice(&(user.len() as u32).to_be_bytes());
    salt.extend_from_slice(user.as_bytes());
    let mut key = [0u8; 64];
    let scrypt_params = scrypt::Params::new(15, 8, 2, 64).map_err(|e| func_error(e.to_string()))?;
    scrypt::scrypt(password.as_bytes(), &salt, &scrypt_params, &mut key)
        .map_err(|e| func_error(format!("failed to derive password: {e}")))?;
    let mut message = MASTER_PASSWORD_SEED.to_vec();
    message.extend_from_slice(&(site.len() as u32).to_be_bytes());
    message.extend_from_slice(site.as_bytes());
    message.extend_from_slice(&counter.to_be_bytes());
    let mut mac =
        hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).map_err(|e| func_error(e.to_string()))?;
    mac.update(&message);
    let seed = mac.finalize().into_bytes();
    let template = templates[seed[0] as usize % templates.len()].as_bytes();
    let out: String = template
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let chars = template_characters(*c);
            chars[seed[i + 1] as usize % chars.len()] as char
        })
        .collect();
    Ok(Value::from(out))
}

fn aes_key(password: &str) -> [u8; 32] {
    let mut key = [0u8; 32];
    let bytes = password.as_bytes();
    let n = bytes.len().min(32);
    key[..n].copy_from_slice(&bytes[..n]);
    key
}

/// `encryptAES(password, text)`: AES-256-CBC, random IV first, base64.
fn encrypt_aes(rnd: &Randomness, args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "encryptAES")?;
    let text = s(&args[1]);
    if text.is_empty() {
        return Ok(Value::from(""));
    }
    let mut iv = [0u8; 16];
    rand_core::RngCore::fill_bytes(&mut Rng(rnd), &mut iv);
    let cipher = cbc::Encryptor::<aes::Aes256>::new(&aes_key(&s(&args[0])).into(), &iv.into());
    let mut out = iv.to_vec();
    out.extend(cipher.encrypt_padded_vec_mut::<Pkcs7>(text.as_bytes()));
    Ok(Value::from(
        base64::engine::general_purpose::STANDARD.encode(out),
    ))
}

/// `decryptAES(password, base64)`.
pub fn decrypt_aes(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "decryptAES")?;
    let data = s(&args[1]);
    if data.is_empty() {
        return Ok(Value::from(""));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data)
        .map_err(|e| func_error(e.to_string()))?;
    if bytes.len() < 32 || bytes.len() % 16 != 0 {
        return Err(func_error("decryptAES: input is not an AES-CBC ciphertext"));
    }
    let (iv, body) = bytes.split_at(16);
    let cipher = cbc::Decryptor::<aes::Aes256>::new(&aes_key(&s(&args[0])).into(), iv.into());
    let plain = cipher
        .decrypt_padded_vec_mut::<Pkcs7>(body)
        .map_err(|_| func_error("decryptAES: wrong password or corrupt data"))?;
    Ok(Value::from(String::from_utf8_lossy(&plain).into_owned()))
}

// The functions of the registry that draw on the run's random source and clock.

/// `genPrivateKey`.
pub fn helm_gen_private_key(ctx: &Ctx, a: &[Value]) -> Result<Value, Error> {
    exact(a, 1, "genPrivateKey")?;
    let r = &ctx.rnd;
    gen_private_key(r, &s(&a[0])).map(Value::from)
}

/// `genCA`.
pub fn gen_ca(ctx: &Ctx, a: &[Value]) -> Result<Value, Error> {
    exact(a, 2, "genCA")?;
    let r = &ctx.rnd;
    let key = new_rsa_2048(r)?;
    self_signed(&request(a, true, r, ctx.now)?, key)
}

/// `genCAWithKey`.
pub fn gen_ca_with_key(ctx: &Ctx, a: &[Value]) -> Result<Value, Error> {
    exact(a, 3, "genCAWithKey")?;
    let r = &ctx.rnd;
    let key = given_key(&a[2])?;
    self_signed(&request(a, true, r, ctx.now)?, key)
}

/// `genSelfSignedCert`.
pub fn gen_self_signed_cert(ctx: &Ctx, a: &[Value]) -> Result<Value, Error> {
    exact(a, 4, "genSelfSignedCert")?;
    let r = &ctx.rnd;
    let key = new_rsa_2048(r)?;
    self_signed(&request(a, false, r, ctx.now)?, key)
}

/// `genSelfSignedCertWithKey`.
pub fn gen_self_signed_cert_with_key(ctx: &Ctx, a: &[Value]) -> Result<Value, Error> {
    exact(a, 5, "genSelfSignedCertWithKey")?;
    let r = &ctx.rnd;
    let key = given_key(&a[4])?;
    self_signed(&request(a, false, r, ctx.now)?, key)
}

/// `genSignedCert`.
pub fn gen_signed_cert(ctx: &Ctx, a: &[Value]) -> Result<Value, Error> {
    exact(a, 5, "genSignedCert")?;
    let r = &ctx.rnd;
    signed(a, new_rsa_2048(r)?, &a[4], r, ctx.now)
}

/// `genSignedCertWithKey`.
pub fn gen_signed_cert_with_key(ctx: &Ctx, a: &[Value]) -> Result<Value, Error> {
    exact(a, 6, "genSignedCertWithKey")?;
    let r = &ctx.rnd;
    signed(a, given_key(&a[5])?, &a[4], r, ctx.now)
}

/// `bcrypt`.
pub fn helm_bcrypt(ctx: &Ctx, a: &[Value]) -> Result<Value, Error> {
    exact(a, 1, "bcrypt")?;
    let r = &ctx.rnd;
    bcrypt_hash(r, &s(&a[0])).map(Value::from)
}

/// `htpasswd`.
pub fn htpasswd(ctx: &Ctx, a: &[Value]) -> Result<Value, Error> {
    exact(a, 2, "htpasswd")?;
    let r = &ctx.rnd;
    let user = s(&a[0]);
    if user.contains(':') {
        return Ok(Value::from(format!("invalid username: {user}")));
    }
    Ok(Value::from(format!(
        "{user}:{}",
        bcrypt_hash(r, &s(&a[1]))?
    )))
}

/// `encryptAES`.
pub fn helm_encrypt_aes(ctx: &Ctx, a: &[Value]) -> Result<Value, Error> {
    encrypt_aes(&ctx.rnd, a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::traits::PrivateKeyParts as _;
    use rsa::traits::PublicKeyParts as _;

    #[test]
    fn rsa_primes_start_with_two_set_bits_so_the_modulus_has_the_asked_size() {
        for seed in 1..4 {
            let rnd = Randomness::new(Some(seed));
            let key = rsa_key(&mut Rng(&rnd), 2048).unwrap();
            assert_eq!(key.n().bits(), 2048);
            for p in key.primes() {
                assert_eq!(p.bits(), 1024);
                // The top two bits: p >= 3 * 2^1022.
                assert!(p >> 1022usize == rsa::BigUint::from(3u32), "seed {seed}");
            }
        }
    }
}
