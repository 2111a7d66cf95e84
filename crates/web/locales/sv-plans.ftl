# sv-plans
