/*
 * read-ahead.h - a thread that read()s a regular file into a ring of
 * page-aligned blocks while the caller parses the block before.
 *
 * Why: on a page-cached capture the kernel's copy into our buffer is a
 * third of the time a meter spends (design/PERFORMANCE.md); done by a
 * second thread it overlaps with decoding and the flow table instead of
 * preceding them. Only regular files: a pipe or a terminal would leave the
 * thread blocked in read() on data that may never come.
 *
 * Each block is [ head room | read area ] like read-buffer.h's single
 * buffer, so the caller can move the unread tail of one block into the
 * head room of the next and keep a straddling record contiguous.
 *
 * Ownership: a block is free (the thread may fill it), ready (filled, in
 * file order) or held (the caller reads it). The caller holds at most two
 * at once (the one it is leaving and the one it takes) and gives them back
 * in the order taken; the thread fills the others, in ring order, and
 * never overtakes the caller. The bytes
 * handed out, block after block, are exactly the file's bytes from where
 * the fd stood at start; after fp_read_ahead_stop() the fd stands just
 * after the last block filled, so blocks still READY plus the fd continue
 * the stream (read-buffer.c uses that to fall back to plain reads).
 */
#ifndef FP_SOURCE_READ_AHEAD_H
#define FP_SOURCE_READ_AHEAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Blocks in the ring: the caller holds one, the thread may fill the rest. */
#define FP_READ_AHEAD_BLOCKS 4

struct fp_read_ahead;

struct fp_read_ahead_block {
	uint8_t *mem;		/* head room + read area, page-aligned */
	size_t len;		/* bytes read, at mem + head */
	bool eof;		/* the file ended after these bytes */
	int error;		/* errno of a read that failed after these bytes, or 0 */
};

/* Starts reading `fd` (not owned) into blocks of `head` + `area` bytes
 * (page multiples). NULL when the fd is not a regular file or no memory or
 * thread can be had: the caller reads by itself then. */
struct fp_read_ahead *fp_read_ahead_start(int fd, size_t head, size_t area);

/* The next block in file order, held by the caller until released; waits
 * for the thread if it is not filled yet. NULL when nothing more will
 * come: a block with eof or error was taken, or the thread was stopped and
 * every block it filled was taken (the fd goes on from there). */
struct fp_read_ahead_block *fp_read_ahead_take(struct fp_read_ahead *ra);

/* Gives a held block back to be filled again. */
void fp_read_ahead_release(struct fp_read_ahead *ra, struct fp_read_ahead_block *b);

/* Ends the thread (after the read it is doing); blocks it filled and the
 * caller has not taken stay takeable, in order. */
void fp_read_ahead_stop(struct fp_read_ahead *ra);

/* Stops the thread if running and frees every block; held ones too. */
void fp_read_ahead_free(struct fp_read_ahead *ra);

#endif
