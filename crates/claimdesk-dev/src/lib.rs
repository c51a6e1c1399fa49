//! Developer tools for Claimdesk's detectors: training the name tagger and the check-worthiness
//! model, and scoring them on the labelled data in `../shared/eval`. Not part of the shipped app;
//! the features they train on come from `claimdesk-core`, so training and use never drift.

pub mod claim_eval;
pub mod ner_train;
