"""Changes to the household register and the cooperatives' ledgers, by concept: `households`
(the register and memberships) and `ledger` (inputs, purchases, sales, dividends, corrections)."""
