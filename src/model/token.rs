//! Token mode: checking what the user pasted as a personal access token (pure, native tests).
//! The token itself never leaves memory: no storage, no URL, no log line (see `api::token`).

/// Longest token accepted (PATs are ~40 characters; OAuth access tokens a few kilobytes).
pub const MAX_TOKEN_LEN: usize = 8192;

/// Why a pasted token cannot be used, worded for the message beside the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenProblem {
    /// Nothing (or only spaces) was entered.
    Empty,
    /// Spaces, line breaks or non-ASCII characters inside the token.
    BadCharacters,
    /// A whole `Authorization` header or `Bearer …` value was pasted.
    HasBearerPrefix,
    /// Longer than [`MAX_TOKEN_LEN`].
    TooLong,
}

impl TokenProblem {
    /// The message shown beside the field.
    pub fn message(self) -> &'static str {
        match self {
            TokenProblem::Empty => "Enter a personal access token.",
            TokenProblem::BadCharacters => {
                "A token has no spaces, line breaks or accented characters; paste it again."
            }
            TokenProblem::HasBearerPrefix => {
                "Paste the token alone, without “Bearer” or “Authorization:”."
            }
            TokenProblem::TooLong => "This is too long to be a token.",
        }
    }
}

/// Check a pasted token; surrounding whitespace is ignored. Returns the token to use.
pub fn check(input: &str) -> Result<String, TokenProblem> {
    let t = input.trim();
    if t.is_empty() {
        return Err(TokenProblem::Empty);
    }
    let lower = t.to_ascii_lowercase();
    if lower.starts_with("bearer ") || lower.starts_with("authorization:") {
        return Err(TokenProblem::HasBearerPrefix);
    }
    if t.len() > MAX_TOKEN_LEN {
        return Err(TokenProblem::TooLong);
    }
    if !t.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(TokenProblem::BadCharacters);
    }
    Ok(t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_pats_and_jwts_trimmed() {
        assert_eq!(
            check("  dapi0123456789abcdef0123456789abcdef\n").unwrap(),
            "dapi0123456789abcdef0123456789abcdef"
        );
        assert!(check("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln-_").is_ok());
    }

    #[test]
    fn refuses_what_cannot_be_a_token() {
        assert_eq!(check(""), Err(TokenProblem::Empty));
        assert_eq!(check(" \n\t"), Err(TokenProblem::Empty));
        assert_eq!(check("dapi 123"), Err(TokenProblem::BadCharacters));
        assert_eq!(check("dapi\n123"), Err(TokenProblem::BadCharacters));
        assert_eq!(check("dapié"), Err(TokenProblem::BadCharacters));
        assert_eq!(check("Bearer dapi123"), Err(TokenProblem::HasBearerPrefix));
        assert_eq!(
            check("Authorization: Bearer dapi123"),
            Err(TokenProblem::HasBearerPrefix)
        );
        assert_eq!(
            check(&"a".repeat(MAX_TOKEN_LEN + 1)),
            Err(TokenProblem::TooLong)
        );
        assert!(check(&"a".repeat(MAX_TOKEN_LEN)).is_ok());
        for p in [
            TokenProblem::Empty,
            TokenProblem::BadCharacters,
            TokenProblem::HasBearerPrefix,
            TokenProblem::TooLong,
        ] {
            assert!(p.message().ends_with('.'));
        }
    }
}
