//! The widths and precisions of one template, checked against
//! [`MAX_FIELD_WIDTH`] as they are resolved at run time.
//!
//! The parser refuses numbers written in a template beyond the maximum; a `*` width taken
//! from an argument (`'%*d' % (w, n)`) or a nested `{w}` taken from a record field is only
//! known when the record is formatted. [`WidthBudget`] adds each one up with the written
//! ones and turns an excess into a `ValueError` the handler reports, before anything is
//! padded.

use super::{ConvError, ConvErrorKind};
use crate::limits::MAX_FIELD_WIDTH;

/// The widths and precisions of one template, added up as they are resolved.
///
/// # Examples
///
/// ```
/// use logkit::pyfmt::WidthBudget;
///
/// let mut budget = WidthBudget::default();
/// assert_eq!(budget.take(60_000, "width"), Ok(60_000));
/// let err = budget.take(10_000, "precision").unwrap_err();
/// assert!(err.to_string().starts_with("precision too big: 10000"));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WidthBudget {
    used: usize,
}

impl WidthBudget {
    /// Counts `n` characters of width or precision (`what` names it in the error).
    ///
    /// # Errors
    ///
    /// `ValueError: width too big: …` when `n`, or the total so far, is beyond
    /// [`MAX_FIELD_WIDTH`].
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::pyfmt::{ConvErrorKind, WidthBudget};
    ///
    /// let mut budget = WidthBudget::default();
    /// assert_eq!(budget.take(8, "width"), Ok(8));
    /// assert_eq!(budget.take(70_000, "* width").unwrap_err().kind, ConvErrorKind::ValueError);
    /// ```
    pub fn take(&mut self, n: usize, what: &str) -> Result<usize, ConvError> {
        let used = self.used.saturating_add(n);
        if n > MAX_FIELD_WIDTH {
            return Err(width_too_big(what, &n));
        }
        if used > MAX_FIELD_WIDTH {
            return Err(width_too_big(
                what,
                &format_args!("{n} makes {used} with the template's other widths"),
            ));
        }
        self.used = used;
        Ok(n)
    }

    /// As [`take`](Self::take), for a number that may not fit a `usize` (such as an
    /// `i128` argument's magnitude).
    ///
    /// # Errors
    ///
    /// As [`take`](Self::take).
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::pyfmt::WidthBudget;
    ///
    /// let err = WidthBudget::default().take_wide(1 << 100, "* width").unwrap_err();
    /// assert!(err.to_string().starts_with("* width too big: 1267650600228229401496703205376"));
    /// ```
    pub fn take_wide(&mut self, n: u128, what: &str) -> Result<usize, ConvError> {
        match usize::try_from(n) {
            Ok(n) => self.take(n, what),
            Err(_) => Err(width_too_big(what, &n)),
        }
    }
}

/// `ValueError: {what} too big: {n} (…)`, for a width or precision beyond
/// [`MAX_FIELD_WIDTH`].
#[cold]
pub(crate) fn width_too_big(what: &str, n: &dyn std::fmt::Display) -> ConvError {
    ConvError::new(
        ConvErrorKind::ValueError,
        format!(
            "{what} too big: {n} (a width or precision is at most {MAX_FIELD_WIDTH} \
             characters, and those of one template add up to at most {MAX_FIELD_WIDTH})"
        ),
    )
}
