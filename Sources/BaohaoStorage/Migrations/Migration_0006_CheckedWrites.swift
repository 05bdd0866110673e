/// PostgreSQL only: `baohao_expect_rows`, which a checked write calls with the number of rows it
/// meant to change and the number whose version still matched. A difference raises SQLSTATE 40001
/// (serialization failure), which aborts the whole statement, so nothing of it is kept, and tells
/// the writer to read again and retry.
enum Migration_0006_CheckedWrites {
    static let migration = Migration(version: 6, name: "checked_writes") { kind in
        guard kind == .postgres else { return [] }
        return [
            """
            CREATE FUNCTION baohao_expect_rows(expected BIGINT, actual BIGINT) RETURNS BIGINT LANGUAGE plpgsql AS $$
            BEGIN
              IF expected <> actual THEN
                RAISE EXCEPTION 'rows changed since they were read (% of % still matched)', actual, expected
                  USING ERRCODE = '40001';
              END IF;
              RETURN actual;
            END
            $$
            """
        ]
    }
}
