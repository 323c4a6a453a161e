//! How a save is written: planned against a fresh re-read of the ACL (one PATCH, one PUT, or
//! a conflict that writes nothing), and what still differs after it.

use super::acl::{key, Acl, Key, Levels};
use super::draft::{Draft, Edit, Intent};
use api_types::{AccessControlRequest, Principal};

/// How a save is written.
#[derive(Debug, Clone, PartialEq)]
pub enum Plan {
    /// The server already has everything the user intends.
    Nothing,
    /// `PATCH` with these entries.
    Patch(Vec<AccessControlRequest>),
    /// `PUT` with exactly these direct grants.
    Put(Vec<AccessControlRequest>),
}

/// One principal that changed on the server since the user started editing.
#[derive(Debug, Clone, PartialEq)]
pub struct ConflictRow {
    /// Who.
    pub principal: Principal,
    /// Direct levels when the user started.
    pub base: Levels,
    /// Direct levels on the server now.
    pub theirs: Levels,
    /// What the user intends (`None`: the user did not edit this principal).
    pub mine: Option<Levels>,
}

/// Why a save must not be written.
#[derive(Debug, Clone, PartialEq)]
pub enum PlanError {
    /// Someone else changed the ACL meanwhile: the three-way view.
    Conflict(Vec<ConflictRow>),
    /// The ACL holds entries this console cannot read; a PUT would drop them.
    Unreadable(usize),
}

/// Plan the save of `draft` against `fresh`, the ACL as re-read just before writing.
pub fn plan(draft: &Draft, fresh: &Acl) -> Result<Plan, PlanError> {
    let removals = draft.has_removals();
    let mut keys: Vec<Key> = draft.base.direct_grants().into_keys().collect();
    keys.extend(fresh.direct_grants().into_keys());
    keys.extend(draft.edits.keys().cloned());
    keys.sort();
    keys.dedup();
    let mut conflicts = Vec::new();
    for k in &keys {
        let base = draft.base.direct(k);
        let theirs = fresh.direct(k);
        if base == theirs {
            continue;
        }
        let mine = draft.edits.get(k).map(Edit::levels);
        let already = mine.as_ref() == Some(&theirs);
        if !already && (mine.is_some() || removals) {
            let principal = fresh
                .entry(k)
                .or_else(|| draft.base.entry(k))
                .map(|e| e.principal.clone())
                .or_else(|| draft.edits.get(k).map(|e| e.principal.clone()));
            if let Some(principal) = principal {
                conflicts.push(ConflictRow {
                    principal,
                    base,
                    theirs,
                    mine,
                });
            }
        }
    }
    if removals && fresh.unreadable != draft.base.unreadable {
        // The unreadable entries changed: that is a concurrent change we cannot even show.
        return Err(PlanError::Conflict(conflicts));
    }
    if !conflicts.is_empty() {
        return Err(PlanError::Conflict(conflicts));
    }
    let pending: Vec<&Edit> = draft
        .edits
        .iter()
        .filter(|(k, e)| fresh.direct(k) != e.levels())
        .map(|(_, e)| e)
        .collect();
    if pending.is_empty() {
        return Ok(Plan::Nothing);
    }
    if pending.iter().all(|e| e.intent != Intent::Remove) {
        let body = pending
            .iter()
            .filter_map(|e| match &e.intent {
                Intent::Set(l) => Some(AccessControlRequest::new(&e.principal, l.clone())),
                Intent::Remove => None,
            })
            .collect();
        return Ok(Plan::Patch(body));
    }
    if fresh.unreadable > 0 {
        return Err(PlanError::Unreadable(fresh.unreadable));
    }
    // PUT: every direct grant the server has, edited ones as intended, additions at the end.
    let mut body = Vec::new();
    for e in &fresh.entries {
        let k = key(&e.principal);
        let levels = match draft.edits.get(&k) {
            Some(edit) => edit.levels(),
            None => e.direct.clone(),
        };
        for l in levels {
            body.push(AccessControlRequest::new(&e.principal, l));
        }
    }
    for (k, e) in &draft.edits {
        if fresh.entry(k).is_none() {
            for l in e.levels() {
                body.push(AccessControlRequest::new(&e.principal, l));
            }
        }
    }
    Ok(Plan::Put(body))
}

/// The edited principals whose direct grant in `after` (the write's answer) is not what the
/// draft intends. Empty after every correct save.
pub fn unmet(draft: &Draft, after: &Acl) -> Vec<Principal> {
    draft
        .edits
        .iter()
        .filter(|(k, e)| after.direct(k) != e.levels())
        .map(|(_, e)| e.principal.clone())
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::model::permissions::test_support::*;
    use crate::model::permissions::*;

    #[test]
    fn additions_and_changes_are_one_patch() {
        let base = clean_fixture();
        let mut d = Draft::new(base.clone());
        d.set_level(&user("zoe@contoso.com"), Q);
        d.set_level(&group("risk-analysts"), M);
        let p = plan(&d, &base).unwrap();
        assert_eq!(
            p,
            Plan::Patch(vec![
                AccessControlRequest::new(&user("zoe@contoso.com"), Q),
                AccessControlRequest::new(&group("risk-analysts"), M),
            ])
        );
    }

    #[test]
    fn removals_put_exactly_the_intended_direct_grants() {
        let base = clean_fixture();
        let mut d = Draft::new(base.clone());
        d.remove(&group("risk-analysts"));
        d.set_level(&user("zoe@contoso.com"), V);
        let Plan::Put(body) = plan(&d, &base).unwrap() else {
            panic!("a PUT")
        };
        let names: Vec<(Option<Principal>, Option<PermissionLevel>)> = body
            .iter()
            .map(|r| (r.principal(), r.permission_level.clone()))
            .collect();
        assert_eq!(
            names,
            vec![
                (Some(user("alice.chen@contoso.com")), Some(M)),
                (Some(sp("6d1f0a3e-9c2b-4e8d-a7f5-3b2c1d0e9f8a")), Some(Q)),
                // henry's direct grant only; admins' inherited grant is never written.
                (Some(user("henry.adams@contoso.com")), Some(Q)),
                (Some(user("zoe@contoso.com")), Some(V)),
            ]
        );
    }

    #[test]
    fn a_put_refuses_entries_it_cannot_read() {
        let base = fixture();
        let mut d = Draft::new(base.clone());
        d.remove(&group("risk-analysts"));
        assert_eq!(plan(&d, &base), Err(PlanError::Unreadable(1)));
        // A PATCH does not touch them.
        let mut d = Draft::new(base.clone());
        d.set_level(&group("risk-analysts"), V);
        assert!(matches!(plan(&d, &base), Ok(Plan::Patch(_))));
    }

    #[test]
    fn conflicts_show_three_ways_and_already_applied_edits_are_not_conflicts() {
        let base = clean_fixture();
        let mut d = Draft::new(base.clone());
        d.remove(&user("henry.adams@contoso.com"));
        // Someone else added gina meanwhile.
        let mut fresh = base.clone();
        fresh.entries.push(Entry {
            principal: user("gina@contoso.com"),
            display_name: None,
            direct: vec![V],
            inherited: vec![],
        });
        match plan(&d, &fresh) {
            Err(PlanError::Conflict(rows)) => {
                assert_eq!(
                    rows,
                    vec![ConflictRow {
                        principal: user("gina@contoso.com"),
                        base: vec![],
                        theirs: vec![V],
                        mine: None,
                    }]
                );
            }
            other => panic!("{other:?}"),
        }
        // Our own earlier write (whose answer was lost) is not a conflict: nothing to do.
        let mut applied = base.clone();
        applied
            .entries
            .retain(|e| e.principal != user("henry.adams@contoso.com"));
        applied.entries.push(Entry {
            principal: user("henry.adams@contoso.com"),
            display_name: None,
            direct: vec![],
            inherited: vec![Inherited {
                level: M,
                from: vec!["/serving-endpoints/".into()],
            }],
        });
        assert_eq!(plan(&d, &applied), Ok(Plan::Nothing));
    }

    #[test]
    fn property_plan_achieves_the_intent_or_reports_the_conflict() {
        let mut rng = Rng(0x5EED_0001);
        let (mut oks, mut conflicts) = (0, 0);
        for trial in 0..4000 {
            let server0 = Server::random(&mut rng);
            let base = server0.acl();
            let draft = random_draft(&mut rng, base.clone());
            let mut server = server0.clone();
            match rng.below(3) {
                0 => {}
                1 => server.meddle(&mut rng),
                _ => {
                    // Our own earlier write went through but its answer was lost.
                    if let Ok(p) = plan(&draft, &base) {
                        server.apply(&p);
                    }
                    if rng.chance(50) {
                        server.meddle(&mut rng);
                    }
                }
            }
            let fresh = server.acl();
            let result = plan(&draft, &fresh);
            assert_eq!(
                matches!(result, Err(PlanError::Conflict(_))),
                should_conflict(&draft, &fresh),
                "trial {trial}: {draft:?} vs {fresh:?}: {result:?}"
            );
            if server == server0 {
                assert!(result.is_ok(), "no concurrent change, no conflict");
            }
            match result {
                Ok(p) => {
                    oks += 1;
                    let before = fresh.clone();
                    if let Plan::Put(body) = &p {
                        // Never an inherited grant written back as a direct one.
                        for r in body {
                            let k = key(&r.principal().unwrap());
                            assert!(
                                !before.direct(&k).is_empty() || draft.edit(&k).is_some(),
                                "trial {trial}: {r:?} was not a direct grant"
                            );
                        }
                    }
                    server.apply(&p);
                    let after = server.acl();
                    for q in pool() {
                        let k = key(&q);
                        let want = match draft.edit(&k) {
                            Some(e) => e.levels(),
                            None => before.direct(&k),
                        };
                        assert_eq!(after.direct(&k), want, "trial {trial}: {q:?}");
                        assert_eq!(
                            after
                                .entry(&k)
                                .map(|e| e.inherited.clone())
                                .unwrap_or_default(),
                            before
                                .entry(&k)
                                .map(|e| e.inherited.clone())
                                .unwrap_or_default()
                        );
                    }
                    assert!(unmet(&draft, &after).is_empty());
                }
                Err(PlanError::Conflict(rows)) => {
                    conflicts += 1;
                    assert!(!rows.is_empty());
                    for r in rows {
                        assert_ne!(r.base, r.theirs);
                    }
                }
                Err(PlanError::Unreadable(_)) => unreachable!("no unreadable entries here"),
            }
        }
        assert!(
            oks > 1000 && conflicts > 300,
            "{oks} ok, {conflicts} conflicts"
        );
    }

    /// Two editors start from the same list; each saves (re-read, plan, write). In `stale`
    /// trials A's write lands after B's whole save although A re-read before it (the window no
    /// client can close). Every saved change either holds at the end, was deliberately changed
    /// by the other writer's later save, or is reported by the writer's ledger.
    #[test]
    fn property_two_writers_never_lose_an_edit_silently() {
        let mut rng = Rng(0x5EED_0002);
        let (mut stale_losses, mut conflicts) = (0, 0);
        for trial in 0..3000 {
            let mut server = Server::random(&mut rng);
            let base = server.acl();
            let a = random_draft(&mut rng, base.clone());
            let b = random_draft(&mut rng, base.clone());
            let stale = rng.chance(25);
            // A re-reads first.
            let plan_a = plan(&a, &server.acl());
            let mut saved_a = false;
            if !stale {
                if let Ok(p) = &plan_a {
                    server.apply(p);
                    saved_a = true;
                }
            }
            let plan_b = plan(&b, &server.acl());
            let saved_b = if let Ok(p) = &plan_b {
                server.apply(p);
                true
            } else {
                conflicts += 1;
                false
            };
            if stale {
                if let Ok(p) = &plan_a {
                    server.apply(p);
                    saved_a = true;
                }
            }
            if plan_a.is_err() {
                conflicts += 1;
            }
            let end = server.acl();
            // Nobody's edit: as it was.
            for q in pool() {
                let k = key(&q);
                let edited = (saved_a && a.edit(&k).is_some()) || (saved_b && b.edit(&k).is_some());
                if !edited {
                    assert_eq!(
                        end.direct(&k),
                        base.direct(&k),
                        "trial {trial}: {q:?} untouched"
                    );
                }
            }
            // Every saved edit holds, or (only after a stale write) its writer's ledger says so.
            for (draft, saved) in [(&a, saved_a), (&b, saved_b)] {
                if !saved {
                    continue;
                }
                let mut ledger = Vec::new();
                record(&mut ledger, saved_of(draft));
                let reported = overwritten(&ledger, &end);
                for e in draft.edits() {
                    let k = key(&e.principal);
                    if end.direct(&k) == e.levels() {
                        assert!(reported.iter().all(|(s, _)| key(&s.principal) != k));
                        continue;
                    }
                    assert!(
                        stale,
                        "trial {trial}: {:?} lost without a stale write",
                        e.principal
                    );
                    assert!(
                        reported.iter().any(|(s, _)| key(&s.principal) == k),
                        "trial {trial}: {:?} lost silently",
                        e.principal
                    );
                    stale_losses += 1;
                }
            }
        }
        assert!(
            conflicts > 300 && stale_losses > 10,
            "{conflicts} conflicts, {stale_losses} reported"
        );
    }
}
