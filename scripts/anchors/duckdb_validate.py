"""Anchor for `allot validate`: DuckDB regex-checks UUIDs, amounts, schedule presence and emails."""
import sys
import duckdb

UUID = "'[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}'"
path = sys.argv[1].replace("'", "''")
query = f"""
select count(*) filter (where not (
    regexp_full_match(coalesce(amount, ''), '[0-9]+(\\.[0-9]+)?')
    and regexp_full_match(coalesce(contractId, ''), {UUID})
    and regexp_full_match(coalesce(tokenId, ''), {UUID})
    and (unlockScheduleId is not null or vestingScheduleId is not null)
    and ("stakeholder.email" is null or regexp_full_match("stakeholder.email", '[^@\\s]+@[^@\\s]+\\.[^@\\s]+'))))
from read_csv('{path}', all_varchar = true, header = true, strict_mode = false, null_padding = true,
              ignore_errors = true)
"""
print(duckdb.connect().execute(query).fetchone())
