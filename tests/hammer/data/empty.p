% Only a comment.
