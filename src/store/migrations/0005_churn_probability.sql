-- The churn model's output beside each score (filled once a model is trained).
ALTER TABLE current_scores ADD COLUMN churn_probability real;
ALTER TABLE current_scores ADD COLUMN churn_drivers jsonb;
ALTER TABLE score_history ADD COLUMN churn_probability real;
