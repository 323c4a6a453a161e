//! Applying a plan: its steps one at a time, in order, each sent once. A failed or refused step
//! stops the run; the report says what was applied and what was not. The UI sends the step
//! [`Progress::next`] names and records its outcome; nothing here can send a step twice.

use super::plan::{Call, Plan};

/// How one sent step ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The call answered 2xx.
    Applied,
    /// The call failed or was refused; the message shown to the user.
    Failed(String),
}

/// Why [`Progress::record`] refused an outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordError {
    /// Not the step that is due (already recorded, or out of order).
    NotDue,
    /// The run is over (finished or stopped).
    Over,
}

/// Where a run is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    calls: Vec<Call>,
    outcomes: Vec<Outcome>,
}

/// What a run did, for the result view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub applied: Vec<Call>,
    pub failed: Option<(Call, String)>,
    /// Not sent because an earlier step failed (or not yet sent).
    pub not_sent: Vec<Call>,
}

impl Report {
    /// One sentence: "Applied: Tags, AI gateway. Failed: … Not sent: …".
    pub fn sentence(&self) -> String {
        let names = |v: &[Call]| v.iter().map(|c| c.label()).collect::<Vec<_>>().join(", ");
        let mut parts = Vec::new();
        if !self.applied.is_empty() {
            parts.push(format!("Applied: {}.", names(&self.applied)));
        }
        if let Some((c, why)) = &self.failed {
            parts.push(format!("Failed: {} ({why}).", c.label()));
        }
        if !self.not_sent.is_empty() {
            parts.push(format!("Not sent: {}.", names(&self.not_sent)));
        }
        if parts.is_empty() {
            "Nothing to apply.".into()
        } else {
            parts.join(" ")
        }
    }
}

impl Progress {
    /// A run of `plan`'s steps, none sent yet.
    pub fn new(plan: &Plan) -> Progress {
        Progress {
            calls: plan.steps.iter().map(|s| s.call).collect(),
            outcomes: Vec::new(),
        }
    }

    /// Did a step fail?
    pub fn stopped(&self) -> bool {
        matches!(self.outcomes.last(), Some(Outcome::Failed(_)))
    }

    /// Is every step applied?
    pub fn finished(&self) -> bool {
        !self.stopped() && self.outcomes.len() == self.calls.len()
    }

    /// The index of the step to send now, if any.
    pub fn next(&self) -> Option<usize> {
        (!self.stopped() && self.outcomes.len() < self.calls.len()).then_some(self.outcomes.len())
    }

    /// Record the outcome of step `index`, which must be the one [`Progress::next`] named.
    pub fn record(&mut self, index: usize, outcome: Outcome) -> Result<(), RecordError> {
        match self.next() {
            None => Err(RecordError::Over),
            Some(i) if i != index => Err(RecordError::NotDue),
            Some(_) => {
                self.outcomes.push(outcome);
                Ok(())
            }
        }
    }

    /// What was applied, what failed, what was not sent.
    pub fn report(&self) -> Report {
        let mut r = Report {
            applied: Vec::new(),
            failed: None,
            not_sent: Vec::new(),
        };
        for (i, c) in self.calls.iter().enumerate() {
            match self.outcomes.get(i) {
                Some(Outcome::Applied) => r.applied.push(*c),
                Some(Outcome::Failed(m)) => r.failed = Some((*c, m.clone())),
                None => r.not_sent.push(*c),
            }
        }
        r
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::super::normalize::Snapshot;
    use super::super::plan::plan;
    use super::*;

    fn four_steps() -> Plan {
        let s = Snapshot::from_endpoint(
            &serde_json::from_str(api_fixtures::get("get_custom_ready.json")).unwrap(),
        );
        let mut e = s.desired.clone();
        e.tags.clear();
        e.ai_gateway.usage_tracking_config = None;
        e.config.entities[0].scale_to_zero = Some(true);
        e.notifications.on_update_success.clear();
        plan(&s, &e)
    }

    #[test]
    fn steps_go_one_by_one_and_never_twice() {
        let p = four_steps();
        let mut run = Progress::new(&p);
        assert_eq!(run.next(), Some(0));
        assert_eq!(run.record(1, Outcome::Applied), Err(RecordError::NotDue));
        run.record(0, Outcome::Applied).unwrap();
        assert_eq!(
            run.record(0, Outcome::Applied),
            Err(RecordError::NotDue),
            "a step is not recorded twice"
        );
        for i in 1..4 {
            assert_eq!(run.next(), Some(i));
            run.record(i, Outcome::Applied).unwrap();
        }
        assert!(run.finished());
        assert_eq!(run.next(), None);
        assert_eq!(run.record(4, Outcome::Applied), Err(RecordError::Over));
        assert_eq!(
            run.report().sentence(),
            "Applied: Tags, AI gateway, Served entities and traffic, E-mail notifications."
        );
    }

    #[test]
    fn a_failure_stops_the_run_and_says_what_was_not_applied() {
        let p = four_steps();
        let mut run = Progress::new(&p);
        run.record(0, Outcome::Applied).unwrap();
        run.record(1, Outcome::Applied).unwrap();
        run.record(2, Outcome::Failed("409 RESOURCE_CONFLICT".into()))
            .unwrap();
        assert!(run.stopped() && !run.finished());
        assert_eq!(run.next(), None);
        assert_eq!(run.record(3, Outcome::Applied), Err(RecordError::Over));
        let r = run.report();
        assert_eq!(r.applied, [Call::Tags, Call::AiGateway]);
        assert_eq!(r.not_sent, [Call::Notifications]);
        assert_eq!(
            r.sentence(),
            "Applied: Tags, AI gateway. Failed: Served entities and traffic \
             (409 RESOURCE_CONFLICT). Not sent: E-mail notifications."
        );
    }
}
