//! The ledger of saved changes: at every later read, the saved changes that no longer hold
//! (another writer's change landed between our re-read and our write), so that such a loss is
//! reported instead of being silent.

use super::acl::{key, Acl, Levels};
use super::draft::Draft;
use api_types::Principal;

/// A change the user saved in this session, kept to notice if it is later undone.
#[derive(Debug, Clone, PartialEq)]
pub struct Saved {
    /// Who.
    pub principal: Principal,
    /// The direct levels saved.
    pub levels: Levels,
}

/// What a successful save of `draft` recorded.
pub fn saved_of(draft: &Draft) -> Vec<Saved> {
    draft
        .edits
        .values()
        .map(|e| Saved {
            principal: e.principal.clone(),
            levels: e.levels(),
        })
        .collect()
}

/// Add a save's records to the ledger (a newer save of a principal replaces the older).
pub fn record(ledger: &mut Vec<Saved>, saved: Vec<Saved>) {
    for s in saved {
        let k = key(&s.principal);
        ledger.retain(|x| key(&x.principal) != k);
        ledger.push(s);
    }
}

/// The saved changes that `current` no longer shows (someone changed or undid them since),
/// with what is there now. The caller reports them and drops them from the ledger.
pub fn overwritten(ledger: &[Saved], current: &Acl) -> Vec<(Saved, Levels)> {
    ledger
        .iter()
        .filter_map(|s| {
            let now = current.direct(&key(&s.principal));
            (now != s.levels).then(|| (s.clone(), now))
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::model::permissions::test_support::*;
    use crate::model::permissions::*;

    #[test]
    fn ledger_reports_saved_changes_that_no_longer_hold() {
        let base = clean_fixture();
        let mut d = Draft::new(base.clone());
        d.set_level(&user("zoe@contoso.com"), Q);
        d.remove(&group("risk-analysts"));
        let mut ledger = Vec::new();
        record(&mut ledger, saved_of(&d));
        // After our PUT, someone's stale PUT restores risk-analysts and drops zoe.
        let lost = overwritten(&ledger, &base);
        assert_eq!(lost.len(), 2);
        let mut after = base.clone();
        after
            .entries
            .retain(|e| e.principal != group("risk-analysts"));
        after.entries.push(Entry {
            principal: user("zoe@contoso.com"),
            display_name: None,
            direct: vec![Q],
            inherited: vec![],
        });
        assert!(overwritten(&ledger, &after).is_empty());
        assert!(unmet(&d, &after).is_empty());
        assert_eq!(unmet(&d, &base).len(), 2);
    }
}
