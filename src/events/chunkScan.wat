;; The inside of a record, 32 or 16 bytes a step: RecordSplitter's skipRecordBody, with the same result
;; (where it stops, the nesting depth, whether it is in a string or after a backslash), for the
;; bytes the splitter copied to the start of this module's memory.
;;
;; A block of 32 (or, near the end, 16) bytes with no backslash and no line break is judged at
;; once: which bytes are quotes, brackets and braces are bit masks (one compare each); the bytes
;; inside strings are the running XOR of the quote mask; and only the brackets and braces outside
;; strings are looked at one by one. Any other block (a backslash, a line break, an escape carried
;; over) goes byte by byte.
;;
;; `find` is Buffer.indexOf for every place at once: the blocks where a needle's first and last
;; bytes both sit at the right distance are found 16 positions a step, and only those are compared
;; whole.
;;
;; Build: node scripts/build-wasm.js (writes chunkScanWasm.ts, which a test holds equal to this).
(module
  (memory (export "memory") 17)
  (global $depthOut (mut i32) (i32.const 0))
  (global $stateOut (mut i32) (i32.const 0))
  (func (export "depth") (result i32) (global.get $depthOut))
  (func (export "state") (result i32) (global.get $stateOut))

  ;; state: bit 1 in a string, bit 2 after a backslash in one. Stops (without consuming it) at a
  ;; close that would take the depth below `floor` + 1, at a line break, or at `end`.
  (func (export "scan") (param $i i32) (param $end i32) (param $depth i32) (param $state i32) (param $floor i32) (result i32)
    (local $v v128)
    (local $lower v128)
    (local $w v128)
    (local $lower2 v128)
    (local $quotes i32)
    (local $opens i32)
    (local $closes i32)
    (local $inside i32)
    (local $structural i32)
    (local $bit i32)
    (local $at i32)
    (local $limit i32)
    (local $c i32)
    (block $stop
      (loop $next
        (br_if $stop (i32.ge_u (local.get $i) (local.get $end)))
        ;; Two blocks at once, not after a backslash: the same, with 32-bit masks.
        (if (i32.and
              (i32.le_u (i32.add (local.get $i) (i32.const 32)) (local.get $end))
              (i32.eqz (i32.and (local.get $state) (i32.const 2))))
          (then
            (local.set $v (v128.load align=1 (local.get $i)))
            (local.set $w (v128.load offset=16 align=1 (local.get $i)))
            (if (i32.eqz
                  (i8x16.bitmask
                    (v128.or
                      (v128.or
                        (i8x16.eq (local.get $v) (i8x16.splat (i32.const 92)))
                        (i8x16.eq (local.get $v) (i8x16.splat (i32.const 10))))
                      (v128.or
                        (i8x16.eq (local.get $w) (i8x16.splat (i32.const 92)))
                        (i8x16.eq (local.get $w) (i8x16.splat (i32.const 10)))))))
              (then
                (local.set $quotes
                  (i32.or
                    (i8x16.bitmask (i8x16.eq (local.get $v) (i8x16.splat (i32.const 34))))
                    (i32.shl (i8x16.bitmask (i8x16.eq (local.get $w) (i8x16.splat (i32.const 34)))) (i32.const 16))))
                (local.set $lower (v128.or (local.get $v) (i8x16.splat (i32.const 32))))
                (local.set $lower2 (v128.or (local.get $w) (i8x16.splat (i32.const 32))))
                (local.set $opens
                  (i32.or
                    (i8x16.bitmask (i8x16.eq (local.get $lower) (i8x16.splat (i32.const 123))))
                    (i32.shl (i8x16.bitmask (i8x16.eq (local.get $lower2) (i8x16.splat (i32.const 123)))) (i32.const 16))))
                (local.set $closes
                  (i32.or
                    (i8x16.bitmask (i8x16.eq (local.get $lower) (i8x16.splat (i32.const 125))))
                    (i32.shl (i8x16.bitmask (i8x16.eq (local.get $lower2) (i8x16.splat (i32.const 125)))) (i32.const 16))))
                (local.set $inside (local.get $quotes))
                (local.set $inside (i32.xor (local.get $inside) (i32.shl (local.get $inside) (i32.const 1))))
                (local.set $inside (i32.xor (local.get $inside) (i32.shl (local.get $inside) (i32.const 2))))
                (local.set $inside (i32.xor (local.get $inside) (i32.shl (local.get $inside) (i32.const 4))))
                (local.set $inside (i32.xor (local.get $inside) (i32.shl (local.get $inside) (i32.const 8))))
                (local.set $inside (i32.xor (local.get $inside) (i32.shl (local.get $inside) (i32.const 16))))
                (if (i32.and (local.get $state) (i32.const 1))
                  (then (local.set $inside (i32.xor (local.get $inside) (i32.const -1)))))
                (local.set $structural
                  (i32.and
                    (i32.or (local.get $opens) (local.get $closes))
                    (i32.xor (local.get $inside) (i32.const -1))))
                (block $pairDone
                  (loop $each2
                    (br_if $pairDone (i32.eqz (local.get $structural)))
                    (local.set $bit (i32.and (local.get $structural) (i32.sub (i32.const 0) (local.get $structural))))
                    (if (i32.and (local.get $opens) (local.get $bit))
                      (then (local.set $depth (i32.add (local.get $depth) (i32.const 1))))
                      (else
                        (if (i32.le_s (local.get $depth) (local.get $floor))
                          (then
                            (global.set $depthOut (local.get $depth))
                            (global.set $stateOut (i32.const 0))
                            (return (i32.add (local.get $i) (i32.ctz (local.get $structural))))))
                        (local.set $depth (i32.sub (local.get $depth) (i32.const 1)))))
                    (local.set $structural (i32.xor (local.get $structural) (local.get $bit)))
                    (br $each2)))
                (local.set $state (i32.xor (local.get $state) (i32.and (i32.popcnt (local.get $quotes)) (i32.const 1))))
                (local.set $i (i32.add (local.get $i) (i32.const 32)))
                (br $next)))))
        ;; A whole block, not after a backslash: maybe judged at once.
        (if (i32.and
              (i32.le_u (i32.add (local.get $i) (i32.const 16)) (local.get $end))
              (i32.eqz (i32.and (local.get $state) (i32.const 2))))
          (then
            (local.set $v (v128.load align=1 (local.get $i)))
            (if (i32.eqz
                  (i8x16.bitmask
                    (v128.or
                      (i8x16.eq (local.get $v) (i8x16.splat (i32.const 92)))
                      (i8x16.eq (local.get $v) (i8x16.splat (i32.const 10))))))
              (then
                (local.set $quotes (i8x16.bitmask (i8x16.eq (local.get $v) (i8x16.splat (i32.const 34)))))
                ;; 0x20 set: [ becomes {, ] becomes }, and nothing else does.
                (local.set $lower (v128.or (local.get $v) (i8x16.splat (i32.const 32))))
                (local.set $opens (i8x16.bitmask (i8x16.eq (local.get $lower) (i8x16.splat (i32.const 123)))))
                (local.set $closes (i8x16.bitmask (i8x16.eq (local.get $lower) (i8x16.splat (i32.const 125)))))
                ;; Bit k: an odd number of quotes at or before byte k.
                (local.set $inside (local.get $quotes))
                (local.set $inside (i32.xor (local.get $inside) (i32.shl (local.get $inside) (i32.const 1))))
                (local.set $inside (i32.xor (local.get $inside) (i32.shl (local.get $inside) (i32.const 2))))
                (local.set $inside (i32.xor (local.get $inside) (i32.shl (local.get $inside) (i32.const 4))))
                (local.set $inside (i32.xor (local.get $inside) (i32.shl (local.get $inside) (i32.const 8))))
                (if (i32.and (local.get $state) (i32.const 1))
                  (then (local.set $inside (i32.xor (local.get $inside) (i32.const 0xffff)))))
                (local.set $structural
                  (i32.and
                    (i32.or (local.get $opens) (local.get $closes))
                    (i32.xor (local.get $inside) (i32.const 0xffff))))
                (block $blockDone
                  (loop $each
                    (br_if $blockDone (i32.eqz (local.get $structural)))
                    (local.set $bit (i32.and (local.get $structural) (i32.sub (i32.const 0) (local.get $structural))))
                    (if (i32.and (local.get $opens) (local.get $bit))
                      (then (local.set $depth (i32.add (local.get $depth) (i32.const 1))))
                      (else
                        (if (i32.le_s (local.get $depth) (local.get $floor))
                          (then
                            ;; A close at the floor, outside any string: the general path's to judge.
                            (global.set $depthOut (local.get $depth))
                            (global.set $stateOut (i32.const 0))
                            (return (i32.add (local.get $i) (i32.ctz (local.get $structural))))))
                        (local.set $depth (i32.sub (local.get $depth) (i32.const 1)))))
                    (local.set $structural (i32.xor (local.get $structural) (local.get $bit)))
                    (br $each)))
                (local.set $state (i32.xor (local.get $state) (i32.and (i32.popcnt (local.get $quotes)) (i32.const 1))))
                (local.set $i (i32.add (local.get $i) (i32.const 16)))
                (br $next)))))
        ;; Byte by byte, to the end of this block.
        (local.set $limit (select (i32.add (local.get $i) (i32.const 16)) (local.get $end)
          (i32.lt_u (i32.add (local.get $i) (i32.const 16)) (local.get $end))))
        (block $blockDone
          (loop $byte
            (br_if $blockDone (i32.ge_u (local.get $i) (local.get $limit)))
            (local.set $c (i32.load8_u (local.get $i)))
            (if (i32.and (local.get $state) (i32.const 1))
              (then
                (if (i32.and (local.get $state) (i32.const 2))
                  (then (local.set $state (i32.const 1)))
                  (else
                    (if (i32.eq (local.get $c) (i32.const 34))
                      (then (local.set $state (i32.const 0)))
                      (else
                        (if (i32.eq (local.get $c) (i32.const 92))
                          (then (local.set $state (i32.const 3)))
                          (else (br_if $stop (i32.eq (local.get $c) (i32.const 10))))))))))
              (else
                (if (i32.eq (local.get $c) (i32.const 34))
                  (then (local.set $state (i32.const 1)))
                  (else
                    (if (i32.eq (i32.or (local.get $c) (i32.const 32)) (i32.const 123))
                      (then (local.set $depth (i32.add (local.get $depth) (i32.const 1))))
                      (else
                        (if (i32.eq (i32.or (local.get $c) (i32.const 32)) (i32.const 125))
                          (then
                            (br_if $stop (i32.le_s (local.get $depth) (local.get $floor)))
                            (local.set $depth (i32.sub (local.get $depth) (i32.const 1))))
                          (else (br_if $stop (i32.eq (local.get $c) (i32.const 10)))))))))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $byte)))
        (br $next)))
    (global.set $depthOut (local.get $depth))
    (global.set $stateOut (local.get $state))
    (local.get $i))
;; Where the `length` bytes at `needle` occur in [0, end), in order: their offsets are written as
  ;; i32 from `out`, at most `max` of them, and the search goes on from `from`. Returns how many
  ;; were written; fewer than `max` means there are no more.
  (func (export "find") (param $from i32) (param $end i32) (param $needle i32) (param $length i32) (param $out i32) (param $max i32) (result i32)
    (local $count i32)
    (local $i i32)
    (local $last i32)
    (local $firstByte v128)
    (local $lastByte v128)
    (local $hits i32)
    (local $at i32)
    (local $k i32)
    (local $same i32)
    (if (i32.or (i32.eqz (local.get $length)) (i32.gt_u (i32.add (local.get $from) (local.get $length)) (local.get $end)))
      (then (return (i32.const 0))))
    ;; The last place a match can start.
    (local.set $last (i32.sub (local.get $end) (local.get $length)))
    (local.set $firstByte (i8x16.splat (i32.load8_u (local.get $needle))))
    (local.set $lastByte (i8x16.splat (i32.load8_u (i32.add (local.get $needle) (i32.sub (local.get $length) (i32.const 1))))))
    (local.set $i (local.get $from))
    (block $done
      (loop $block
        (br_if $done (i32.gt_u (local.get $i) (local.get $last)))
        (if (i32.le_u (i32.add (local.get $i) (i32.const 15)) (local.get $last))
          (then
            (local.set $hits
              (i8x16.bitmask
                (v128.and
                  (i8x16.eq (v128.load align=1 (local.get $i)) (local.get $firstByte))
                  (i8x16.eq (v128.load align=1 (i32.add (local.get $i) (i32.sub (local.get $length) (i32.const 1)))) (local.get $lastByte))))))
          (else
            ;; Fewer than 16 places left: every one of them is a candidate.
            (local.set $hits (i32.sub (i32.shl (i32.const 1) (i32.add (i32.sub (local.get $last) (local.get $i)) (i32.const 1))) (i32.const 1)))))
        (block $blockDone
          (loop $candidate
            (br_if $blockDone (i32.eqz (local.get $hits)))
            (local.set $at (i32.add (local.get $i) (i32.ctz (local.get $hits))))
            (local.set $hits (i32.and (local.get $hits) (i32.sub (local.get $hits) (i32.const 1))))
            (local.set $same (i32.const 1))
            (local.set $k (i32.const 0))
            (block $compared
              (loop $byte
                (br_if $compared (i32.ge_u (local.get $k) (local.get $length)))
                (if (i32.ne (i32.load8_u (i32.add (local.get $at) (local.get $k))) (i32.load8_u (i32.add (local.get $needle) (local.get $k))))
                  (then
                    (local.set $same (i32.const 0))
                    (br $compared)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $byte)))
            (if (local.get $same)
              (then
                (if (i32.ge_u (local.get $count) (local.get $max))
                  (then (return (local.get $count))))
                (i32.store (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))) (local.get $at))
                (local.set $count (i32.add (local.get $count) (i32.const 1)))))
            (br $candidate)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $block)))
    (local.get $count))
)
