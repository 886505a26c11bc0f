-- A walk-forward window part may be a single bar (bar-count windows such as --test 1): the
-- stored times are a part's first and last bars, which are then the same time. The parts keep
-- their order: the test part starts after the train part ends.
ALTER TABLE walk_forward_windows DROP CONSTRAINT walk_forward_windows_check;
ALTER TABLE walk_forward_windows ADD CONSTRAINT walk_forward_windows_order_check
  CHECK (in_sample_start <= in_sample_end AND in_sample_end < out_of_sample_start
         AND out_of_sample_start <= out_of_sample_end);
