-- Owner: package aspirations. What kimbot's authenticity check found for
-- the message a cek hoaks ticket was filed from (issue 13): 'official'
-- (the same as an announcement kimbot sent), 'edited' (a changed copy of
-- one) or '' (not checked, or like no announcement). The queue marks the
-- first two, the edited copy loudest.
-- +goose Up
ALTER TABLE aspiration_tickets ADD COLUMN check_result text NOT NULL DEFAULT ''
    CONSTRAINT aspiration_tickets_check_result_valid CHECK (check_result IN ('', 'official', 'edited'));

-- +goose Down
ALTER TABLE aspiration_tickets DROP COLUMN check_result;
