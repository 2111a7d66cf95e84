# en-plans
