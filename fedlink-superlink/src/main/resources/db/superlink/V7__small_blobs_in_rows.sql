-- A small blob (at most the inline size, 512 KiB) is kept in its row instead of as a file under
-- blobs/: it is stored in the same SQLite transaction that records it, with no file to write,
-- flush, rename and flush the folder of. Larger blobs stay files (data is NULL).
ALTER TABLE blob ADD COLUMN data BLOB;
